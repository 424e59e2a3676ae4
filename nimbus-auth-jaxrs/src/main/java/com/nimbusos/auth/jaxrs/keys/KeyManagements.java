package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.MicroProfileConfigSource;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Configuration;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link KeyManagement} a resource built without one uses: made once per application (class
 * loader) from the sources the adapters read, first found wins: the application's JAX-RS
 * properties, the init-params of the Nimbus servlet filter, the context-params (the Jakarta
 * Security mechanism's), MicroProfile Config, then system properties. So the API manages the very
 * store the filter or mechanism validates against, configured once. A configuration that cannot
 * make one is not remembered, so fixing it (a store file created, a data source bound) needs no
 * redeployment. The map lives in this jar's class loader, the application's, so it goes with the
 * application; its stores hold no thread to stop.
 */
final class KeyManagements {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");
  private static final Map<ClassLoader, KeyManagement> BY_APPLICATION = new HashMap<>();

  /** Named, not referenced: the jaxrs jar does not depend on the filter jar. */
  private static final String NIMBUS_FILTER = "com.nimbusos.auth.filter.ApiKeyFilter";

  private KeyManagements() {}

  /**
   * The application's management.
   *
   * @throws ConfigurationException when the configuration offers no key store to manage
   */
  static KeyManagement forApplication(Configuration configuration, ServletContext context) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    synchronized (BY_APPLICATION) {
      KeyManagement known = BY_APPLICATION.get(loader);
      if (known != null) {
        return known;
      }
      try {
        KeyManagement made =
            KeyManagement.fromConfiguration(
                NimbusAuthConfig.load(sources(configuration, context, loader)), loader);
        BY_APPLICATION.put(loader, made);
        LOG.log(Level.INFO, "Nimbus Auth key management API active: " + made);
        return made;
      } catch (ConfigurationException e) {
        LOG.log(
            Level.ERROR,
            "Nimbus Auth key management API cannot start: "
                + e.getMessage()
                + "; it answers 503 until the configuration is fixed");
        throw e;
      }
    }
  }

  /** The Nimbus servlet filter, or an application's subclass of it ({@code @WebFilter}). */
  private static boolean isNimbusFilter(String className, ClassLoader loader) {
    if (className == null) {
      return false;
    }
    try {
      for (Class<?> type = Class.forName(className, false, loader);
          type != null;
          type = type.getSuperclass()) {
        if (type.getName().equals(NIMBUS_FILTER)) {
          return true;
        }
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    return false;
  }

  private static List<PropertySource> sources(
      Configuration configuration, ServletContext context, ClassLoader loader) {
    List<PropertySource> sources = new ArrayList<>();
    sources.add(
        PropertySource.of(configuration == null ? Map.of() : configuration.getProperties()));
    if (context != null) {
      try {
        for (FilterRegistration filter : context.getFilterRegistrations().values()) {
          if (isNimbusFilter(filter.getClassName(), loader)) {
            sources.add(PropertySource.of(filter.getInitParameters()));
          }
        }
      } catch (UnsupportedOperationException e) {
        // A context that will not list its filters: the other sources still apply.
      }
      Map<String, String> contextParams = new HashMap<>();
      for (String name : Collections.list(context.getInitParameterNames())) {
        contextParams.put(name, context.getInitParameter(name));
      }
      sources.add(PropertySource.of(contextParams));
    }
    MicroProfileConfigSource.of(loader).ifPresent(sources::add);
    sources.add(PropertySource.systemProperties());
    return sources;
  }
}
