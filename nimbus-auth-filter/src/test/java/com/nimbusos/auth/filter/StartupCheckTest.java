package com.nimbusos.auth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.contract.ContractKeyValidator;
import com.nimbusos.auth.contract.LoopbackJetty;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

/**
 * {@link StartupCheck} fails the deployment at start, naming the filter and the property, for a
 * declared filter whose configuration is invalid or unsafe. Jetty starts filters at deployment
 * itself, but after the listeners: every failure asserted here names {@code filter 'nimbus-auth'},
 * which only the check writes (the filter's own failure does not). WildFly, which starts filters at
 * their first request, is in the container suites.
 */
class StartupCheckTest {

  private static final String VALIDATOR = ContractKeyValidator.class.getName();

  @Test
  void failsTheDeploymentOfAFilterConfiguredForProductionOverPlainHttp() throws Exception {
    Throwable failure =
        deploy(
            Map.of(
                "nimbus.auth.validator",
                VALIDATOR,
                "nimbus.auth.environment",
                "production",
                "nimbus.auth.require-https",
                "false"),
            Map.of());
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("filter 'nimbus-auth'")
            && failure.getMessage().contains("nimbus.auth.require-https"),
        failure.getMessage());
  }

  @Test
  void failsTheDeploymentOfAFilterWhoseNamedValidatorDoesNotExist() throws Exception {
    Throwable failure =
        deploy(
            Map.of(
                "nimbus.auth.validator",
                "com.example.Missing",
                "nimbus.auth.environment",
                "sandbox"),
            Map.of());
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("filter 'nimbus-auth'")
            && failure.getMessage().contains("nimbus.auth.validator"),
        failure.getMessage());
  }

  @Test
  void failsTheDeploymentOnAMisspeltContextParamForTheMechanism() throws Exception {
    Throwable failure = deployWithoutFilter(Map.of("nimbus.auth.enviroment", "sandbox"));
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("the context-params")
            && failure.getMessage().contains("nimbus.auth.enviroment"),
        failure.getMessage());
  }

  @Test
  void failsTheDeploymentOfAFilterDeclaredWithoutAnEnvironment() throws Exception {
    Throwable failure = deploy(Map.of("nimbus.auth.validator", VALIDATOR), Map.of());
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("filter 'nimbus-auth'")
            && failure.getMessage().contains("nimbus.auth.environment"),
        failure.getMessage());
  }

  @Test
  void failsTheDeploymentOnContextParamsForTheMechanismWithoutAnEnvironment() throws Exception {
    Throwable failure = deployWithoutFilter(Map.of("nimbus.auth.public-paths", "/health"));
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("the context-params")
            && failure.getMessage().contains("nimbus.auth.environment"),
        failure.getMessage());
  }

  @Test
  void deploysAValidConfiguration() throws Exception {
    assertEquals(
        null,
        deploy(
            Map.of("nimbus.auth.validator", VALIDATOR, "nimbus.auth.environment", "sandbox"),
            Map.of()));
    assertEquals(
        null,
        deploy(
            Map.of("nimbus.auth.validator", VALIDATOR), Map.of("nimbus.auth.environment", "any")));
  }

  @Test
  void onlyWarnsAboutAFilterWithoutParametersThatCodeMayStillGiveAValidatorAndAnEnvironment()
      throws Exception {
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("com.nimbusos.auth");
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            warnings.add(record.getLevel() + " " + record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      // Registered as an instance that was given its validator and configuration in code: the check
      // cannot see that.
      ServletContextHandler context = new ServletContextHandler("/");
      FilterHolder filter =
          new FilterHolder(
              new ApiKeyFilter(
                  new ContractKeyValidator(),
                  NimbusAuthConfig.builder().environment(Environment.SANDBOX).build()));
      filter.setName("nimbus-auth");
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      assertEquals(null, start(context));
    } finally {
      logger.removeHandler(handler);
    }
    assertTrue(
        warnings.stream()
            .anyMatch(line -> line.startsWith("WARNING") && line.contains("has no validator yet")),
        warnings.toString());
    assertTrue(
        warnings.stream()
            .anyMatch(
                line ->
                    line.startsWith("WARNING")
                        && line.contains("has no nimbus.auth.environment yet")),
        warnings.toString());
  }

  @Test
  void aFilterDeclaredWithConfigurationButNoValidatorFailsTheDeployment() throws Exception {
    Throwable failure = deploy(Map.of("nimbus.auth.environment", "sandbox"), Map.of());
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("filter 'nimbus-auth'")
            && failure.getMessage().contains("nimbus.auth.validator"),
        failure.getMessage());
  }

  @Test
  void aBrokenSettingBesideTheValidatorStillFailsTheDeploymentOfAFilterWithoutInitParams()
      throws Exception {
    // Only "no validator at all" is forgiven for a filter that code may configure: a metrics
    // library named
    // but absent is not (here: MicroProfile Metrics, which this test class path does not have).
    Throwable failure = deploy(Map.of(), Map.of("nimbus.auth.metrics", "microprofile"));
    assertNotNull(failure, "deployed");
    assertTrue(
        failure.getMessage().contains("filter 'nimbus-auth'")
            && failure.getMessage().contains("nimbus.auth.metrics"),
        failure.getMessage());
  }

  /** Starts a context with the filter declared and the check; the failure, if any. */
  private static Throwable deploy(Map<String, String> initParams, Map<String, String> contextParams)
      throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    contextParams.forEach(context::setInitParameter);
    FilterHolder filter = new FilterHolder(ApiKeyFilter.class);
    filter.setName("nimbus-auth");
    filter.setInitParameters(initParams);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    return start(context);
  }

  private static Throwable deployWithoutFilter(Map<String, String> contextParams) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    contextParams.forEach(context::setInitParameter);
    return start(context);
  }

  private static Throwable start(ServletContextHandler context) throws Exception {
    context.addEventListener(new StartupCheck());
    try (LoopbackJetty started = LoopbackJetty.start(context)) {
      assertFalse(context.isFailed(), "context failed without an exception");
      return null;
    } catch (Exception e) {
      Throwable cause = e;
      while (!(cause instanceof IllegalStateException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause;
    }
  }
}
