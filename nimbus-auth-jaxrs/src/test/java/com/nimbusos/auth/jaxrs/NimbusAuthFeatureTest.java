package com.nimbusos.auth.jaxrs;

import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertHttpsRequired;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.ContractAssertions;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.StartedApp;
import com.nimbusos.auth.contract.TestKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the JAX-RS adapter does beyond the shared contract: annotations, exception mappers, wiring.
 */
class NimbusAuthFeatureTest {

  @RegisterExtension
  static final StartedApp<JerseyApp> APP =
      StartedApp.of(
          () ->
              JerseyApp.start(
                  JerseyApp.contract(ContractApp.PROPERTIES).register(EdgeResource.class)));

  private final HttpProbe probe = HttpProbe.plain(APP::baseUri);

  @Test
  void denyAllRefusesEvenTheStrongestKey() {
    assertForbidden(probe.send(probe.get("edge/denied").header("X-API-Key", TestKeys.WRITE)));
    assertUnauthorized(probe.send(probe.get("edge/denied")));
  }

  @Test
  void permitAllOnAMethodOverridesRolesAllowedOnItsClass() {
    Reply reply = probe.send(probe.get("edge/open"));
    assertOk(reply);
    assertEquals("open", reply.body());
  }

  @Test
  void methodsInheritTheirClassRolesAllowed() {
    assertOk(probe.send(probe.get("edge/inherited").header("X-API-Key", TestKeys.READ)));
    assertUnauthorized(probe.send(probe.get("edge/inherited")));
  }

  @Test
  void answersAForbiddenExceptionFromTheApplicationWithTheDocumentedJson() {
    Reply reply = probe.send(probe.get("edge/throws-forbidden").header("X-API-Key", TestKeys.READ));
    assertForbidden(reply);
    assertFalse(reply.body().contains("auditors"), "the exception's message stays on the server");
  }

  @Test
  void answersANotAuthorizedExceptionFromTheApplicationWithTheDocumentedJson() {
    assertUnauthorized(
        probe.send(probe.get("edge/throws-not-authorized").header("X-API-Key", TestKeys.READ)));
  }

  @Test
  void answersAnEjbAccessRefusalWithTheDocumentedForbiddenJson() {
    Reply reply =
        probe.send(probe.get("edge/throws-ejb-access").header("X-API-Key", TestKeys.READ));
    assertForbidden(reply);
    assertFalse(
        reply.body().contains("WFLYEJB"), "the EJB container's message stays on the server");
  }

  @Test
  void registersTheEjbMapperOnlyWhereTheEjbApiIsPresent() {
    java.util.function.Function<ClassLoader, java.util.List<Class<?>>> registered =
        loader ->
            NimbusAuthFeature.exceptionMappers(loader).stream()
                .<Class<?>>map(Object::getClass)
                .toList();
    java.util.List<Class<?>> always =
        java.util.List.of(
            AuthErrorMapper.NotAuthorized.class,
            AuthErrorMapper.Forbidden.class,
            AuthErrorMapper.ApiKeyFailure.class);
    java.util.List<Class<?>> withEjb = new java.util.ArrayList<>(always);
    withEjb.add(AuthErrorMapper.EjbAccessDenied.class);
    assertEquals(withEjb, registered.apply(NimbusAuthFeature.class.getClassLoader()));
    assertEquals(
        always,
        registered.apply(new ClassLoader(null) {}),
        "a loader that sees no EJB API gets no EJB mapper");
  }

  @Test
  void answersOurOwnExceptionWithTheErrorItNames() {
    assertForbidden(probe.send(probe.get("edge/throws-ours").header("X-API-Key", TestKeys.READ)));
  }

  @Test
  void putsARequestIdEvenOnResponsesToUnknownPaths() {
    Reply reply = probe.send(probe.get("no/such/resource").header("X-API-Key", TestKeys.READ));
    assertEquals(404, reply.status());
    assertTrue(
        ContractAssertions.REQUEST_ID.matcher(reply.header("X-Request-Id").orElse("")).matches(),
        reply::toString);
  }

  @Test
  void refusesPlainHttpByDefault() throws Exception {
    Map<String, String> strict = new HashMap<>(ContractApp.PROPERTIES);
    strict.remove("nimbus.auth.require-https");
    try (JerseyApp strictApp = JerseyApp.start(JerseyApp.contract(strict))) {
      HttpProbe strictProbe = HttpProbe.plain(strictApp::baseUri);
      assertHttpsRequired(
          strictProbe.send(strictProbe.get("orders").header("X-API-Key", TestKeys.READ)));
      assertHttpsRequired(strictProbe.send(strictProbe.get("health")));
    }
  }

  @Test
  void acceptsAValidatorAndConfigurationGivenInCode() throws Exception {
    ApiKeyPrincipal partner =
        new ApiKeyPrincipal(
            "k_code", "code-partner", Environment.SANDBOX, Set.of("orders:read"), null);
    NimbusAuthFeature feature =
        new NimbusAuthFeature(
            key ->
                key.value().equals("sk_test_fromcode0000000")
                    ? ValidationResult.valid(partner)
                    : ValidationResult.invalid(InvalidReason.UNKNOWN),
            NimbusAuthConfig.builder().anyEnvironment().requireHttps(false).build());
    try (JerseyApp codeApp =
        JerseyApp.start(new ResourceConfig(OrdersResource.class).register(feature))) {
      HttpProbe codeProbe = HttpProbe.plain(codeApp::baseUri);
      Reply reply =
          codeProbe.send(codeProbe.get("orders").header("X-API-Key", "sk_test_fromcode0000000"));
      assertOk(reply);
      assertEquals(
          "GET caller=code-partner keyId=k_code authType=API_KEY read=true write=false",
          reply.body());
    }
  }

  @Test
  void withoutAValidatorOfItsOwnFailsClosedUnlessTheServletFilterDecided() throws Exception {
    ResourceConfig config =
        new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class)
            .property("nimbus.auth.environment", "sandbox")
            .property("nimbus.auth.require-https", "false");
    try (JerseyApp bare = JerseyApp.start(config)) {
      HttpProbe bareProbe = HttpProbe.plain(bare::baseUri);
      assertUnavailable(bareProbe.send(bareProbe.get("orders").header("X-API-Key", TestKeys.READ)));
    }
  }

  @Test
  void withNoSettingsOfItsOwnReliesOnTheServletAdapterAndRefusesWhatNoneDecided() throws Exception {
    // The usual wiring: the filter's init-params configure Nimbus; the feature sees no
    // nimbus.auth.* at all.
    try (JerseyApp bare =
        JerseyApp.start(new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class))) {
      HttpProbe bareProbe = HttpProbe.plain(bare::baseUri);
      assertUnavailable(bareProbe.send(bareProbe.get("orders").header("X-API-Key", TestKeys.READ)));
      assertUnauthorized(bareProbe.send(bareProbe.get("orders")));
    }
  }

  @Test
  void theApplicationsAuditKeyAndPepperAsSystemPropertiesLeaveItBehindTheServletAdapter()
      throws Exception {
    // Given like secrets are, as system properties the filter reads too: they configure no engine
    // of the
    // feature's own, which would then fail for want of an environment and refuse everything with
    // 503.
    java.util.List<String> recorded =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    com.nimbusos.auth.api.audit.AuditSink adapters = event -> recorded.add(event.requestId());
    ClassLoader application = Thread.currentThread().getContextClassLoader();
    com.nimbusos.auth.api.audit.AuditSinks.publish(application, adapters);
    System.setProperty("nimbus.auth.audit.key", "an-audit-key-of-at-least-32-bytes-0123456789");
    System.setProperty("nimbus.auth.pepper", "a-pepper-of-at-least-32-bytes-0123456789abc");
    try (JerseyApp bare =
        JerseyApp.start(new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class))) {
      HttpProbe bareProbe = HttpProbe.plain(bare::baseUri);
      Reply keyless = bareProbe.send(bareProbe.get("orders"));
      assertUnauthorized(keyless);
      assertUnavailable(bareProbe.send(bareProbe.get("orders").header("X-API-Key", TestKeys.READ)));
      // Decided behind the filter, so recorded in the filter's sink; a feature failing for want of
      // an
      // environment would have recorded into the log instead.
      assertEquals(keyless.header("X-Request-Id").orElseThrow(), recorded.get(0));
    } finally {
      System.clearProperty("nimbus.auth.audit.key");
      System.clearProperty("nimbus.auth.pepper");
      com.nimbusos.auth.api.audit.AuditSinks.withdraw(application, adapters);
    }
  }

  @Test
  void recordsWhatItDecidesBehindTheServletAdapterInTheAdaptersOwnSink() throws Exception {
    java.util.List<String> events =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.List<String> completions =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    com.nimbusos.auth.api.audit.AuditSink adapters =
        new com.nimbusos.auth.api.audit.AuditSink() {
          @Override
          public void record(com.nimbusos.auth.api.audit.AuditEvent event) {
            events.add(event.requestId());
          }

          @Override
          public void complete(com.nimbusos.auth.api.audit.AuditCompletion completion) {
            completions.add(completion.requestId() + " " + completion.status());
          }
        };
    ClassLoader application = Thread.currentThread().getContextClassLoader();
    com.nimbusos.auth.api.audit.AuditSinks.publish(application, adapters);
    try (JerseyApp bare =
        JerseyApp.start(new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class))) {
      HttpProbe bareProbe = HttpProbe.plain(bare::baseUri);
      Reply refused = bareProbe.send(bareProbe.get("orders"));
      assertUnauthorized(refused);
      String id = refused.header("X-Request-Id").orElseThrow();
      assertEquals(java.util.List.of(id), events);
      for (int i = 0; i < 50 && completions.isEmpty(); i++) {
        Thread.sleep(20); // the completion is recorded after the response left
      }
      assertEquals(java.util.List.of(id + " 401"), completions);
    } finally {
      com.nimbusos.auth.api.audit.AuditSinks.withdraw(application, adapters);
    }
  }

  @Test
  void failsToStartWhenTheConfiguredValidatorCannotBeLoaded() {
    ResourceConfig config =
        new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class)
            .property("nimbus.auth.environment", "sandbox")
            .property("nimbus.auth.validator", "com.example.NoSuchValidator");
    Exception e = assertThrows(Exception.class, () -> JerseyApp.start(config).close());
    assertTrue(
        causes(e).contains("nimbus.auth.validator: class com.example.NoSuchValidator not found"),
        causes(e));
  }

  @Test
  void failsToStartWithoutAnEnvironmentNamingTheProperty() {
    ResourceConfig config =
        new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class)
            .property(
                "nimbus.auth.validator",
                com.nimbusos.auth.contract.ContractKeyValidator.class.getName());
    Exception e = assertThrows(Exception.class, () -> JerseyApp.start(config).close());
    assertTrue(causes(e).contains("nimbus.auth.environment: is required"), causes(e));
  }

  @Test
  void buildsItsConfigurationAtTheFirstRequestWhenTheApplicationShowsNoneAtStart()
      throws Exception {
    // Like RESTEasy, which shows Application.getProperties() only to requests: here the
    // configuration comes
    // from system properties, which the feature cannot see as JAX-RS properties when it is
    // configured.
    System.setProperty(
        "nimbus.auth.validator", com.nimbusos.auth.contract.ContractKeyValidator.class.getName());
    System.setProperty("nimbus.auth.environment", "sandbox");
    System.setProperty("nimbus.auth.require-https", "false");
    try (JerseyApp lazy =
        JerseyApp.start(new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class))) {
      HttpProbe lazyProbe = HttpProbe.plain(lazy::baseUri);
      assertOk(lazyProbe.send(lazyProbe.get("orders").header("X-API-Key", TestKeys.READ)));
      assertUnauthorized(
          lazyProbe.send(lazyProbe.get("orders").header("X-API-Key", TestKeys.UNKNOWN)));
    } finally {
      System.clearProperty("nimbus.auth.validator");
      System.clearProperty("nimbus.auth.environment");
      System.clearProperty("nimbus.auth.require-https");
    }
  }

  @Test
  void refusesEveryRequestWhenTheConfigurationFoundAtTheFirstRequestIsInvalid() throws Exception {
    System.setProperty(
        "nimbus.auth.validator", com.nimbusos.auth.contract.ContractKeyValidator.class.getName());
    System.setProperty("nimbus.auth.max-key-length", "lots");
    try (JerseyApp broken =
        JerseyApp.start(new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class))) {
      HttpProbe brokenProbe = HttpProbe.plain(broken::baseUri);
      // The fallback keeps the secure defaults, HTTPS required included: this plain request is
      // refused so.
      assertHttpsRequired(
          brokenProbe.send(brokenProbe.get("orders").header("X-API-Key", TestKeys.READ)));
    } finally {
      System.clearProperty("nimbus.auth.validator");
      System.clearProperty("nimbus.auth.max-key-length");
    }
  }

  @Test
  void isConfiguredOnceWhenRegisteredTwice() throws Exception {
    ResourceConfig config =
        JerseyApp.contract(ContractApp.PROPERTIES).register(new NimbusAuthFeature());
    try (JerseyApp twice = JerseyApp.start(config)) {
      HttpProbe twiceProbe = HttpProbe.plain(twice::baseUri);
      Reply reply = twiceProbe.send(twiceProbe.get("orders"));
      assertUnauthorized(reply);
    }
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }
}
