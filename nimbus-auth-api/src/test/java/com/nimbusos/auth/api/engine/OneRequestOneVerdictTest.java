package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine decides only requests it can be sure the application serves as decided: the request
 * firewall comes before everything, HEAD follows GET's rules, uncovered methods are refused, and a
 * second adapter trusts a first adapter's verdict only for the same target.
 */
class OneRequestOneVerdictTest {

  private static final String ORDERS_ONLY = "sk_test_ordersonly00000000000000000";
  private static final String REPORTS = "sk_test_reports0000000000000000000000";

  private final List<AuditEvent> events = new ArrayList<>();
  private final KeyValidator validator =
      key ->
          switch (key.value()) {
            case ORDERS_ONLY -> ValidationResult.valid(principal("k_orders", "orders:read"));
            case REPORTS -> ValidationResult.valid(principal("k_reports", "reports:read"));
            default -> ValidationResult.invalid(InvalidReason.UNKNOWN);
          };

  private static ApiKeyPrincipal principal(String id, String... scopes) {
    return new ApiKeyPrincipal(id, "acme", Environment.SANDBOX, Set.of(scopes), null);
  }

  /** The settings: public paths and GET/POST scope rules on /reports. */
  private AuthenticationEngine engine(NimbusAuthConfig.Builder extra) {
    return new AuthenticationEngine(
        validator,
        extra
            .publicPaths("/health, /public/*")
            .scopeRules("GET /reports/* = reports:read; POST /reports/* = reports:write")
            .build(),
        events::add,
        Clock.systemUTC());
  }

  private AuthenticationEngine engine() {
    return engine(NimbusAuthConfig.builder().anyEnvironment());
  }

  private static Decision.Denied denied(Decision decision) {
    return assertInstanceOf(
        Decision.Denied.class, decision, () -> "expected a refusal, got " + decision);
  }

  @Test
  void refusesADotSegmentBeforeThePublicPathsAreEvenLookedAt() {
    // The container normalises /reports/%2e%2e/public/x to /public/x (public); a JAX-RS runtime
    // routes the raw
    // path to /reports/{rest}. The engine never decides such a target.
    AuthenticationEngine engine = engine();
    for (String raw :
        List.of("/reports/%2e%2e/public/x", "/reports/../public/x", "/reports/.%2e/public/x")) {
      Decision decision = engine.decideAndRecord(new Routed("GET", raw, "", "/public/x"));
      Decision.Denied refused = denied(decision);
      assertEquals(AuthError.BAD_REQUEST, refused.error());
      assertEquals(DenialReason.DOT_SEGMENT, refused.reason());
      ErrorResponse response = engine.response(refused);
      assertEquals(400, response.status());
      assertEquals(ErrorBody.of(AuthError.BAD_REQUEST, refused.requestId()), response.body());
      assertEquals("bad_request", response.body().error().code());
      assertEquals("Malformed request", response.body().error().message());
      AuditEvent event = events.get(events.size() - 1);
      assertEquals("DOT_SEGMENT", event.reason());
      assertEquals(400, event.status());
    }
  }

  @Test
  void refusesARawPathThatDoesNotDecodeToThePathTheRuntimeRoutesOn() {
    AuthenticationEngine engine = engine();
    // Whatever a runtime did that the firewall did not foresee: decided path and served path must
    // agree.
    assertEquals(
        DenialReason.PATH_MISMATCH,
        denied(engine.decideAndRecord(new Routed("GET", "/reports/x", "", "/public/x"))).reason());
    assertEquals(
        DenialReason.PATH_MISMATCH,
        denied(engine.decideAndRecord(new Routed("GET", "/app/public/x", "/app", "/x"))).reason());
    assertTrue(
        engine.decideAndRecord(new Routed("GET", "/app/public/x", "/app", "/public/x")).allowed());
    assertTrue(
        engine
            .decideAndRecord(new Routed("GET", "/app/public/caf%C3%A9", "/app", "/public/café"))
            .allowed());
    assertTrue(
        engine
            .decideAndRecord(new Routed("GET", "/app", "/app", "/").header("X-API-Key", REPORTS))
            .allowed(),
        "the application's root, without its trailing slash");
  }

  @Test
  void refusesMethodsOutsideTheAllowedOnesWith405AndAllow() {
    AuthenticationEngine engine = engine();
    for (String method : List.of("TRACE", "get", "Get", "FOO", "CONNECT")) {
      Decision.Denied refused =
          denied(engine.decideAndRecord(new Routed(method, "/health", "", "/health")));
      assertEquals(DenialReason.METHOD_NOT_ALLOWED, refused.reason(), method);
      ErrorResponse response = engine.response(refused);
      assertEquals(405, response.status());
      assertEquals("method_not_allowed", response.body().error().code());
      assertEquals("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", response.headers().get("Allow"));
    }
    AuthenticationEngine withTrace =
        engine(NimbusAuthConfig.builder().anyEnvironment().allowedMethods("GET, HEAD, TRACE"));
    assertTrue(withTrace.decideAndRecord(new Routed("TRACE", "/health", "", "/health")).allowed());
    assertEquals(
        DenialReason.METHOD_NOT_ALLOWED,
        denied(withTrace.decideAndRecord(new Routed("POST", "/health", "", "/health"))).reason());
  }

  @Test
  void governsHeadByTheGetRules() {
    AuthenticationEngine engine = engine();
    assertEquals(
        DenialReason.INSUFFICIENT_SCOPE,
        denied(
                engine.decideAndRecord(
                    new Routed("HEAD", "/reports", "", "/reports")
                        .header("X-API-Key", ORDERS_ONLY)))
            .reason());
    assertTrue(
        engine
            .decideAndRecord(
                new Routed("HEAD", "/reports/q3", "", "/reports/q3").header("X-API-Key", REPORTS))
            .allowed());
  }

  @Test
  void refusesMethodsNoRuleNamesOnPathsRulesNameUnlessOpenedByConfiguration() {
    AuthenticationEngine engine = engine();
    for (String method : List.of("PUT", "PATCH", "DELETE", "OPTIONS")) {
      Decision.Denied refused =
          denied(
              engine.decideAndRecord(
                  new Routed(method, "/reports/q3", "", "/reports/q3")
                      .header("X-API-Key", REPORTS)));
      assertEquals(DenialReason.UNCOVERED_METHOD, refused.reason(), method);
      assertEquals(403, engine.response(refused).status());
      assertEquals("forbidden", engine.response(refused).body().error().code());
    }
    assertTrue(
        engine
            .decideAndRecord(
                new Routed("DELETE", "/orders/1", "", "/orders/1").header("X-API-Key", REPORTS))
            .allowed(),
        "a path no rule names needs a valid key only");
    AuthenticationEngine open =
        engine(NimbusAuthConfig.builder().anyEnvironment().denyUncoveredMethods(false));
    assertTrue(
        open.decideAndRecord(
                new Routed("PUT", "/reports/q3", "", "/reports/q3").header("X-API-Key", REPORTS))
            .allowed());
  }

  @Test
  void namesTheUncoveredMethodsOfEachRulePathAtStart() {
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .scopeRules(
                "GET /reports/* = reports:read; POST /reports/* = reports:write; /admin/* = admin")
            .build();
    assertEquals(
        Map.of(
            com.nimbusos.auth.api.config.PathPattern.parse("/reports/*"),
            Set.of("DELETE", "OPTIONS", "PATCH", "PUT")),
        config.uncoveredMethods());
    assertTrue(
        config.toString().contains("refused with 403): /reports/* [DELETE, OPTIONS, PATCH, PUT]"),
        config.toString());
    NimbusAuthConfig covered =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .scopeRules("GET /orders/* = orders:read; /orders/* = orders:write")
            .build();
    assertTrue(covered.uncoveredMethods().isEmpty());
    assertFalse(covered.toString().contains("no scope rule names"));
  }

  @Test
  void trustsAnEarlierAdaptersVerdictOnlyForTheTargetItDecided() {
    AuthenticationEngine engine = engine();
    // The servlet filter judged the container's /public/x public; JAX-RS routes another raw path.
    Routed servletView = new Routed("GET", "/public/x", "", "/public/x");
    Decision upstream = engine.decideAndRecord(servletView);
    assertInstanceOf(Decision.Anonymous.class, upstream);
    String decided = AuthenticationEngine.target(servletView);
    assertEquals("GET /public/x", decided);

    Routed sameTarget = new Routed("GET", "/public/x", "", "/public/x");
    assertSame(
        upstream,
        engine.confirm(
            engine.trail(upstream, null), decided, ResourceAccess.authenticated(), sameTarget));

    Routed otherTarget = new Routed("GET", "/reports/x", "", "/reports/x");
    int recorded = events.size();
    RequestTrail trail = engine.trail(upstream, null);
    Decision.Denied refused =
        denied(engine.confirm(trail, decided, ResourceAccess.authenticated(), otherTarget));
    assertEquals(DenialReason.PATH_MISMATCH, refused.reason());
    assertEquals(upstream.requestId(), refused.requestId(), "one request, one id");
    assertSame(refused, trail.last(), "the request's one trail ends on the refusal");
    assertEquals(recorded, events.size(), "and no second event is recorded for it");

    assertEquals(
        DenialReason.PATH_MISMATCH,
        denied(
                engine.confirm(
                    engine.trail(upstream, null), null, ResourceAccess.permitAll(), sameTarget))
            .reason(),
        "an earlier verdict that does not say what it decided is not trusted");
    assertEquals(
        DenialReason.PATH_MISMATCH,
        denied(
                engine.confirm(
                    engine.trail(upstream, null),
                    decided,
                    ResourceAccess.permitAll(),
                    new Routed("POST", "/public/x", "", "/public/x")))
            .reason(),
        "another method is another request");
    assertEquals(
        DenialReason.DOT_SEGMENT,
        denied(
                engine.confirm(
                    engine.trail(upstream, null),
                    "GET /reports/%2e%2e/public/x",
                    ResourceAccess.authenticated(),
                    new Routed("GET", "/reports/%2e%2e/public/x", "", "/reports/../public/x")))
            .reason(),
        "the second adapter's own view passes the firewall too");
    Routed head = new Routed("HEAD", "/public/x", "", "/public/x");
    assertSame(
        upstream,
        engine.confirm(engine.trail(upstream, null), decided, ResourceAccess.authenticated(), head),
        "a HEAD the runtime serves with its GET is the same request");
  }

  /**
   * A request as a runtime sees it: method, raw path, base path, and the decoded path it routes on.
   */
  private record Routed(
      String method,
      String rawPath,
      String basePath,
      String path,
      Map<String, List<String>> headers)
      implements AuthRequest {
    Routed(String method, String rawPath, String basePath, String path) {
      this(method, rawPath, basePath, path, Map.of());
    }

    Routed header(String name, String value) {
      return new Routed(method, rawPath, basePath, path, Map.of(name, List.of(value)));
    }

    @Override
    public List<String> headerValues(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst()
          .map(Map.Entry::getValue)
          .orElse(List.of());
    }

    @Override
    public boolean isSecure() {
      return true;
    }
  }
}
