package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.config.MicroProfileConfigSource;
import com.nimbusos.auth.api.config.PropertySource;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Where the servlet adapters read {@code nimbus.auth.*} from, and load classes with. */
final class ServletConfiguration {

  private ServletConfiguration() {}

  /**
   * {@code first} (a filter's init-params, or nothing), then the context-params, MicroProfile
   * Config when the application has it, then system properties: first source wins.
   */
  static List<PropertySource> sources(PropertySource first, ServletContext context) {
    List<PropertySource> sources = new ArrayList<>();
    if (first != null) {
      sources.add(first);
    }
    sources.add(
        PropertySource.of(context::getInitParameter, () -> names(context.getInitParameterNames())));
    MicroProfileConfigSource.of(classLoader(context)).ifPresent(sources::add);
    sources.add(PropertySource.systemProperties());
    return sources;
  }

  static Set<String> names(Enumeration<String> names) {
    return new HashSet<>(Collections.list(names));
  }

  /** The application's class loader. */
  static ClassLoader classLoader(ServletContext context) {
    ClassLoader loader = context.getClassLoader();
    return loader != null ? loader : Thread.currentThread().getContextClassLoader();
  }
}
