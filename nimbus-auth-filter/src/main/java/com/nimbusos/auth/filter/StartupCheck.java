package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Map;

/**
 * Fails the deployment, naming the property, when the configuration of an {@link ApiKeyFilter} the
 * application declares is invalid, unsafe or finds no validator. Servers may start filters only at their
 * first request (WildFly does), which would leave a broken deployment "running" and refusing everything; this
 * listener, found by the server's annotation scan of the jar, starts each filter's engine once at deployment
 * exactly as the filter will, and stops it again. Context-params meant for the Jakarta Security mechanism
 * are checked too.
 *
 * <p>A filter declared with no {@code nimbus.auth.*} init-param and nothing that names a validator may be
 * given one in code ({@code ServletContext.addFilter} with an instance); for it, "no validator" is only a
 * warning here, and stays an error when the filter starts. A {@code web.xml} with {@code
 * metadata-complete="true"} turns the annotation scan, and so this check, off.
 */
@WebListener
public class StartupCheck implements ServletContextListener {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    ClassLoader loader = ServletConfiguration.classLoader(context);
    boolean anyFilter = false;
    for (FilterRegistration filter : filters(context).values()) {
      if (isApiKeyFilter(filter.getClassName(), loader)) {
        anyFilter = true;
        check(filter, context, loader);
      }
    }
    if (!anyFilter && hasNimbusNames(ServletConfiguration.names(context.getInitParameterNames()))) {
      try {
        NimbusAuthConfig.load(ServletConfiguration.sources(null, context));
      } catch (ConfigurationException e) {
        throw failed("the context-params", e);
      }
    }
  }

  private static void check(FilterRegistration filter, ServletContext context, ClassLoader loader) {
    String what = "filter '" + filter.getName() + "'";
    NimbusAuthConfig config;
    try {
      config = NimbusAuthConfig.load(ServletConfiguration.sources(PropertySource.of(filter.getInitParameters()), context));
    } catch (ConfigurationException e) {
      throw failed(what, e);
    }
    try {
      ServletRuntime.start(null, config, java.util.List.of(), loader).stop();
    } catch (ConfigurationException e) {
      boolean namesNoValidator =
          config.validatorClass().isEmpty() && config.keysFile().isEmpty() && config.store().isEmpty();
      if (namesNoValidator && !hasNimbusNames(filter.getInitParameters().keySet())) {
        LOG.log(Level.WARNING, "Nimbus Auth " + what + " has no validator yet (" + e.getMessage()
            + "); unless the application gives it one in code, it refuses to start");
        return;
      }
      throw failed(what, e);
    }
  }

  private static IllegalStateException failed(String what, ConfigurationException e) {
    LOG.log(Level.ERROR, "Nimbus Auth cannot start (" + what + "): " + e.getMessage());
    return new IllegalStateException("Nimbus Auth cannot start (" + what + "): " + e.getMessage(), e);
  }

  private static Map<String, ? extends FilterRegistration> filters(ServletContext context) {
    try {
      return context.getFilterRegistrations();
    } catch (UnsupportedOperationException e) {
      return Collections.emptyMap(); // a listener the server does not let see registrations: nothing to check
    }
  }

  private static boolean isApiKeyFilter(String className, ClassLoader loader) {
    if (className == null) {
      return false;
    }
    try {
      return ApiKeyFilter.class.isAssignableFrom(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean hasNimbusNames(java.util.Collection<String> names) {
    return names.stream().anyMatch(name -> name.startsWith(NimbusAuthConfig.PREFIX));
  }
}
