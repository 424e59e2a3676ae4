package com.nimbusos.auth.filter;

import static com.nimbusos.auth.contract.ContractAssertions.assertHttpsRequired;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.contract.ContractKeyValidator;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.TestKeys;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the servlet adapter does beyond the shared contract: wiring, configuration sources, start-up
 * checks.
 */
class ApiKeyFilterTest {

  private static final String VALIDATOR = ContractKeyValidator.class.getName();

  @Test
  void refusesPlainHttpByDefaultWithoutRedirecting() throws Exception {
    try (LoopbackJetty app =
        JettyApp.start(
            Map.of("nimbus.auth.validator", VALIDATOR, "nimbus.auth.environment", "sandbox"))) {
      HttpProbe probe = HttpProbe.plain(app::baseUri);
      assertHttpsRequired(probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ)));
    }
  }

  @Test
  void readsContextParamsWhenTheFilterHasNoInitParams() throws Exception {
    Map<String, String> contextParams =
        Map.of(
            "nimbus.auth.validator",
            VALIDATOR,
            "nimbus.auth.environment",
            "sandbox",
            "nimbus.auth.require-https",
            "false");
    try (LoopbackJetty app = JettyApp.start(Map.of(), contextParams)) {
      HttpProbe probe = HttpProbe.plain(app::baseUri);
      assertOk(probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ)));
    }
  }

  @Test
  void prefersInitParamsOverContextParams() throws Exception {
    Map<String, String> initParams =
        Map.of("nimbus.auth.validator", VALIDATOR, "nimbus.auth.realm", "from-filter");
    Map<String, String> contextParams =
        Map.of(
            "nimbus.auth.realm",
            "from-context",
            "nimbus.auth.environment",
            "sandbox",
            "nimbus.auth.require-https",
            "false");
    try (LoopbackJetty app = JettyApp.start(initParams, contextParams)) {
      HttpProbe probe = HttpProbe.plain(app::baseUri);
      Reply reply = probe.send(probe.get("orders"));
      assertEquals(401, reply.status());
      assertEquals("ApiKey realm=\"from-filter\"", reply.header("WWW-Authenticate").orElseThrow());
    }
  }

  @Test
  void acceptsAValidatorAndConfigurationGivenInCode() throws Exception {
    ApiKeyPrincipal partner =
        new ApiKeyPrincipal("k_code", "code-partner", Environment.SANDBOX, Set.of(), null);
    ApiKeyFilter filter =
        new ApiKeyFilter(
            key ->
                key.value().equals("sk_test_fromcode0000000")
                    ? ValidationResult.valid(partner)
                    : ValidationResult.invalid(InvalidReason.UNKNOWN),
            NimbusAuthConfig.builder().anyEnvironment().requireHttps(false).build());
    try (LoopbackJetty app = JettyApp.start(filter)) {
      HttpProbe probe = HttpProbe.plain(app::baseUri);
      Reply reply = probe.send(probe.get("orders").header("X-API-Key", "sk_test_fromcode0000000"));
      assertOk(reply);
      assertEquals(
          "GET caller=code-partner keyId=k_code authType=API_KEY read=false write=false",
          reply.body());
    }
  }

  @Test
  void failsToStartWithoutAValidatorNamingTheProperty() {
    ServletException e =
        assertThrows(
            ServletException.class,
            () ->
                new ApiKeyFilter()
                    .init(filterConfig(Map.of("nimbus.auth.environment", "sandbox"))));
    assertTrue(e.getMessage().contains("nimbus.auth.validator"), e.getMessage());
    assertTrue(e.getMessage().contains("no KeyValidator found"), e.getMessage());
  }

  @Test
  void failsToStartWithoutAnEnvironmentNamingThePropertyAndTheChoices() {
    ServletException e =
        assertThrows(
            ServletException.class,
            () ->
                new ApiKeyFilter().init(filterConfig(Map.of("nimbus.auth.validator", VALIDATOR))));
    assertTrue(e.getMessage().contains("nimbus.auth.environment: is required"), e.getMessage());
    assertTrue(
        e.getMessage().contains("'sandbox' or 'production'")
            && e.getMessage().contains("'any' for development"),
        e.getMessage());
  }

  @Test
  void failsToStartOnAnInvalidPropertyNamingIt() {
    ServletException e =
        assertThrows(
            ServletException.class,
            () ->
                new ApiKeyFilter()
                    .init(
                        filterConfig(
                            Map.of(
                                "nimbus.auth.validator",
                                VALIDATOR,
                                "nimbus.auth.require-https",
                                "maybe"))));
    assertTrue(e.getMessage().contains("nimbus.auth.require-https"), e.getMessage());
  }

  @Test
  void failsToStartOnAMisspeltProperty() {
    ServletException e =
        assertThrows(
            ServletException.class,
            () ->
                new ApiKeyFilter()
                    .init(
                        filterConfig(
                            Map.of(
                                "nimbus.auth.validator",
                                VALIDATOR,
                                "nimbus.auth.public-path",
                                "/health"))));
    assertTrue(e.getMessage().contains("nimbus.auth.public-path"), e.getMessage());
  }

  @Test
  void refusesToRunBeforeItWasInitialised() {
    assertThrows(ServletException.class, () -> new ApiKeyFilter().doFilter(null, null, null));
  }

  private static FilterConfig filterConfig(Map<String, String> initParams) {
    ServletContext context =
        (ServletContext)
            Proxy.newProxyInstance(
                ApiKeyFilterTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getInitParameter" -> null;
                      case "getInitParameterNames" -> Collections.emptyEnumeration();
                      case "getClassLoader" -> ApiKeyFilterTest.class.getClassLoader();
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "nimbus";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return initParams.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(initParams.keySet());
      }
    };
  }
}
