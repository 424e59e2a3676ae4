package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.EngineFactory;
import com.nimbusos.auth.api.internal.StartupLine;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Fails the deployment, naming the property, when the configuration of an {@link ApiKeyFilter} the
 * application declares is invalid, unsafe or finds no validator. Servers may start filters only at
 * their first request (WildFly does), which would leave a broken deployment "running" and refusing
 * everything; this listener, found by the server's annotation scan of the jar, starts each filter's
 * engine once at deployment exactly as the filter will, and stops it again. Context-params meant
 * for the Jakarta Security mechanism are checked too.
 *
 * <p>A filter with no {@code nimbus.auth.*} init-param for which no source at all provides a
 * validator, or none the required {@code nimbus.auth.environment}, may be given them in code
 * ({@code ServletContext.addFilter} with an instance): for it, and only for those two reasons, this
 * check warns instead of failing, and the filter still fails when it starts unless code gave them.
 * A filter instance given its configuration in code is checked against the descriptor's parameters
 * all the same, and one registered by a listener that runs after this one is not checked.
 * Context-params alone (the Jakarta Security mechanism's) are checked for names, values and the
 * environment; the mechanism resolves the rest when it starts, at deployment. A {@code web.xml}
 * with {@code metadata-complete="true"} turns the annotation scan, and so this check, off: declare
 * it as a {@code <listener>} there.
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
    try {
      List<PropertySource> sources =
          new ArrayList<>(
              ServletConfiguration.sources(PropertySource.of(filter.getInitParameters()), context));
      if (!hasNimbusNames(filter.getInitParameters().keySet())
          && sources.stream()
              .allMatch(source -> source.get(NimbusAuthConfig.ENVIRONMENT) == null)) {
        LOG.log(
            Level.WARNING,
            "Nimbus Auth "
                + what
                + " has no "
                + NimbusAuthConfig.ENVIRONMENT
                + " yet; unless the application gives it its configuration in code, it refuses to start");
        // Lowest priority, only so that the other settings are still checked as the filter will
        // read them.
        sources.add(PropertySource.of(Map.of(NimbusAuthConfig.ENVIRONMENT, "any")));
      }
      // Exactly as the filter will build its engine, then released again.
      EngineFactory.Assembled assembled =
          EngineFactory.forApplication(loader)
              .sources(sources)
              .application(context::getContextPath)
              .withoutValidator(
                  notFound -> {
                    if (hasNimbusNames(filter.getInitParameters().keySet())) {
                      throw notFound;
                    }
                    LOG.log(
                        Level.WARNING,
                        "Nimbus Auth "
                            + what
                            + " has no validator yet ("
                            + notFound.getMessage()
                            + "); unless the application gives it one in code, it refuses to start");
                    return key -> {
                      throw new KeyValidationException("start-up check only");
                    };
                  })
              .build();
      try {
        if (assembled.validatorFound()) {
          // The start-up line, at deployment: the filter itself may start only at the first
          // request (WildFly), and then logs the same line only if its configuration differs
          // (given in code).
          StartupLine.announce("servlet filter '" + filter.getName() + "'", assembled.describe());
        }
      } finally {
        assembled.close();
      }
    } catch (ConfigurationException e) {
      throw failed(what, e);
    }
  }

  private static IllegalStateException failed(String what, ConfigurationException e) {
    LOG.log(Level.ERROR, "Nimbus Auth cannot start (" + what + "): " + e.getMessage());
    return new IllegalStateException(
        "Nimbus Auth cannot start (" + what + "): " + e.getMessage(), e);
  }

  private static Map<String, ? extends FilterRegistration> filters(ServletContext context) {
    try {
      return context.getFilterRegistrations();
    } catch (UnsupportedOperationException e) {
      return Collections
          .emptyMap(); // a listener the server does not let see registrations: nothing to check
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
