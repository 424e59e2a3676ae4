package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Throttling, trusted proxies, CORS preflight and the audit trail, as the engine decides them. */
class HardeningTest {

  private static final String GOOD = "sk_test_good0000000000000000000000";
  private static final String BAD = "sk_test_bad00000000000000000000000";
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private final ApiKeyPrincipal principal =
      new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of("orders:read"), null);
  private final KeyValidator validator =
      key ->
          key.value().equals(GOOD)
              ? ValidationResult.valid(principal)
              : ValidationResult.invalid(InvalidReason.UNKNOWN);
  private final List<AuditEvent> events = new ArrayList<>();

  private AuthenticationEngine engine(NimbusAuthConfig.Builder config) {
    return new AuthenticationEngine(
        validator, config.build(), events::add, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void throttlesAnAddressAfterTooManyFailuresWithRetryAfter() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().anyEnvironment().throttle(3, 60));
    for (int i = 0; i < 3; i++) {
      assertEquals(
          AuthError.UNAUTHORIZED,
          denied(engine.decideAndRecord(FakeRequest.get("/o", BAD))).error());
    }
    Decision.Denied limited = denied(engine.decideAndRecord(FakeRequest.get("/o", GOOD)));
    assertEquals(AuthError.RATE_LIMITED, limited.error());
    ErrorResponse response = engine.errorResponse(limited);
    assertEquals(429, response.status());
    assertEquals("60", response.headers().get("Retry-After"));
    assertEquals("rate_limited", response.body().error().code());
    assertTrue(
        engine.decideAndRecord(FakeRequest.get("/o", GOOD).from("198.51.100.7")).allowed(),
        "other clients are not affected");
  }

  @Test
  void ignoresForwardingHeadersFromUntrustedPeers() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().anyEnvironment().throttle(2, 60));
    for (int i = 0; i < 2; i++) {
      engine.decideAndRecord(
          FakeRequest.get("/o", BAD).header("X-Forwarded-For", "203.0.113." + i));
    }
    assertEquals(
        AuthError.RATE_LIMITED,
        denied(
                engine.decideAndRecord(
                    FakeRequest.get("/o", BAD).header("X-Forwarded-For", "203.0.113.99")))
            .error());
    assertEquals(
        AuthError.HTTPS_REQUIRED,
        denied(
                engine.decideAndRecord(
                    FakeRequest.get("/o", GOOD).insecure().header("X-Forwarded-Proto", "https")))
            .error());
  }

  @Test
  void believesForwardingHeadersFromTrustedProxies() {
    AuthenticationEngine engine =
        engine(
            NimbusAuthConfig.builder()
                .anyEnvironment()
                .trustedProxies("10.0.0.0/8")
                .throttle(2, 60));
    FakeRequest viaProxy =
        FakeRequest.get("/o", GOOD)
            .insecure()
            .from("10.1.2.3")
            .header("X-Forwarded-For", "198.51.100.1, 203.0.113.5, 10.9.9.9")
            .header("X-Forwarded-Proto", "https");
    assertTrue(engine.decideAndRecord(viaProxy).allowed());
    assertEquals(
        "203.0.113.5",
        events.get(events.size() - 1).clientAddress(),
        "the nearest untrusted hop is the client");
    FakeRequest plain =
        FakeRequest.get("/o", GOOD).insecure().from("10.1.2.3").header("X-Forwarded-Proto", "http");
    assertEquals(AuthError.HTTPS_REQUIRED, denied(engine.decideAndRecord(plain)).error());
    FakeRequest garbage =
        FakeRequest.get("/o", GOOD).from("10.1.2.3").header("X-Forwarded-For", "not-an-address");
    assertTrue(engine.decideAndRecord(garbage).allowed());
    assertEquals(
        "10.1.2.3",
        events.get(events.size() - 1).clientAddress(),
        "a hop that is no address ends the walk");
  }

  @Test
  void believesTheForwardedHeaderFromTrustedProxiesWhenConfigured() {
    AuthenticationEngine engine =
        engine(
            NimbusAuthConfig.builder()
                .anyEnvironment()
                .trustedProxies("10.0.0.0/8")
                .trustedProxyHeader(NimbusAuthConfig.ProxyHeader.FORWARDED));
    FakeRequest forwarded =
        FakeRequest.get("/o", GOOD)
            .insecure()
            .from("10.1.2.3")
            .header(
                "Forwarded", "for=192.0.2.43;proto=http, for=\"[2001:db8::17]:4711\";proto=https");
    assertTrue(engine.decideAndRecord(forwarded).allowed());
    assertEquals("2001:db8::17", events.get(events.size() - 1).clientAddress());
  }

  @Test
  void answersCorsPreflightsItselfOnlyWhenEnabledAndOnlyRealOnes() {
    FakeRequest preflight =
        FakeRequest.get("/o")
            .method("OPTIONS")
            .header("Origin", "https://partner.example")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "x-api-key, content-type");
    assertInstanceOf(
        Decision.Denied.class,
        engine(NimbusAuthConfig.builder().anyEnvironment()).decideAndRecord(preflight));
    AuthenticationEngine cors = engine(NimbusAuthConfig.builder().anyEnvironment().cors(true));
    Decision answered = cors.decideAndRecord(preflight);
    Decision.Preflight preflightAnswer = assertInstanceOf(Decision.Preflight.class, answered);
    assertFalse(answered.allowed(), "a preflight never reaches the application");
    ErrorResponse response = cors.response(answered);
    assertEquals(204, response.status());
    assertNull(response.body());
    assertEquals("*", response.headers().get("Access-Control-Allow-Origin"));
    assertEquals(
        "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
        response.headers().get("Access-Control-Allow-Methods"));
    assertEquals("x-api-key, content-type", response.headers().get("Access-Control-Allow-Headers"));
    assertEquals(preflightAnswer.requestId(), response.headers().get("X-Request-Id"));
    AuditEvent event = events.get(events.size() - 1);
    assertEquals("allowed", event.outcome());
    assertEquals("CORS_PREFLIGHT", event.reason());
    assertEquals(204, event.status());

    AuthenticationEngine listed =
        engine(
            NimbusAuthConfig.builder()
                .anyEnvironment()
                .cors(true)
                .corsAllowedOrigins("https://partner.example, https://b.example"));
    ErrorResponse forListed = listed.response(listed.decideAndRecord(preflight));
    assertEquals("https://partner.example", forListed.headers().get("Access-Control-Allow-Origin"));
    assertEquals("Origin", forListed.headers().get("Vary"));
    Decision stranger = listed.decideAndRecord(preflight.header("Origin", "https://evil.example"));
    assertEquals(
        DenialReason.CORS_ORIGIN_NOT_ALLOWED,
        assertInstanceOf(Decision.Denied.class, stranger).reason());
    assertEquals(403, listed.response(stranger).status());
    assertFalse(cors.decideAndRecord(FakeRequest.get("/o").method("OPTIONS")).allowed());
    assertFalse(
        cors.decideAndRecord(FakeRequest.get("/o").method("OPTIONS").header("Origin", "https://x"))
            .allowed());
    assertFalse(
        cors.decideAndRecord(
                FakeRequest.get("/o")
                    .header("Origin", "https://x")
                    .header("Access-Control-Request-Method", "GET"))
            .allowed());
  }

  @Test
  void auditsEveryDecisionWithoutTheKey() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().anyEnvironment().publicPaths("/health"));
    Decision ok = engine.decideAndRecord(FakeRequest.get("/orders", GOOD));
    engine.decideAndRecord(FakeRequest.get("/orders", BAD));
    engine.decideAndRecord(FakeRequest.get("/health"));
    engine.decideAndRecord(FakeRequest.get("/orders"));
    assertEquals(4, events.size());
    AuditEvent allowed = events.get(0);
    assertEquals(
        new AuditEvent(
            NOW,
            ok.requestId(),
            "k_1",
            null,
            "acme",
            "sandbox",
            "allowed",
            "AUTHENTICATED",
            "GET",
            "/orders",
            0,
            "192.0.2.10",
            true,
            null),
        allowed);
    AuditEvent unknown = events.get(1);
    assertEquals("denied", unknown.outcome());
    assertEquals("UNKNOWN", unknown.reason());
    assertEquals(401, unknown.status());
    assertTrue(unknown.keyFingerprint().matches("[0-9a-f]{12}"), unknown.keyFingerprint());
    assertEquals("PUBLIC", events.get(2).reason());
    assertEquals("MISSING_KEY", events.get(3).reason());
    assertNull(events.get(3).keyFingerprint());
    for (AuditEvent event : events) {
      assertFalse(
          event.toString().contains(BAD)
              || event.toJson().contains(BAD)
              || event.toJson().contains(GOOD));
    }
  }

  @Test
  void aRefusalOfAKnownKeyNamesTheKeyInTheAudit() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().anyEnvironment().scopeRules("/admin/* = admin"));
    Decision refused = engine.decideAndRecord(FakeRequest.get("/admin/x", GOOD));
    Decision byAnnotation =
        engine.decideAndRecord(
            FakeRequest.get("/orders", GOOD), ResourceAccess.anyOf(Set.of("orders:write")));
    // A refusal by a later check amends the request's one event: the decision part already names
    // the key.
    Decision first = engine.decideAndRecord(FakeRequest.get("/orders", GOOD));
    Decision later =
        engine.authorizeAndRecord(
            engine.trail(first, null), ResourceAccess.anyOf(Set.of("orders:write")));
    assertEquals(DenialReason.INSUFFICIENT_SCOPE, ((Decision.Denied) later).reason());
    assertEquals(
        "k_1",
        events.stream()
            .filter(e -> e.requestId().equals(first.requestId()))
            .findFirst()
            .orElseThrow()
            .keyId());
    for (Decision decision : List.of(refused, byAnnotation)) {
      AuditEvent event =
          events.stream()
              .filter(
                  e -> e.requestId().equals(decision.requestId()) && e.outcome().equals("denied"))
              .findFirst()
              .orElseThrow();
      assertEquals("k_1", event.keyId(), event::toJson);
      assertEquals("acme", event.owner());
      assertNull(event.keyFingerprint(), "a known key is named by its id, not fingerprinted");
      assertEquals(403, event.status());
    }
  }

  @Test
  void flagsTheFirstUseOfAKeyFromANewNetworkAndCountsUses() {
    AuthenticationEngine engine = engine(NimbusAuthConfig.builder().anyEnvironment());
    engine.decideAndRecord(FakeRequest.get("/o", GOOD).from("192.0.2.10"));
    engine.decideAndRecord(FakeRequest.get("/o", GOOD).from("192.0.2.77"));
    engine.decideAndRecord(FakeRequest.get("/o", GOOD).from("198.51.100.1"));
    assertEquals(List.of(true, false, true), events.stream().map(AuditEvent::newNetwork).toList());
    assertEquals(3, engine.keyUsage().requests("k_1"));
  }

  @Test
  void failsClosedWhenTheAuditCannotRecordUnlessToldOtherwise() {
    NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().build();
    AuthenticationEngine strict =
        new AuthenticationEngine(
            validator,
            config,
            event -> {
              throw new IllegalStateException("disk full");
            },
            Clock.systemUTC());
    Decision.Denied refused = denied(strict.decideAndRecord(FakeRequest.get("/o", GOOD)));
    assertEquals(AuthError.SERVICE_UNAVAILABLE, refused.error());
    assertEquals(DenialReason.AUDIT_UNAVAILABLE, refused.reason());
    AuthenticationEngine lenient =
        new AuthenticationEngine(
            validator,
            NimbusAuthConfig.builder().anyEnvironment().auditFailClosed(false).build(),
            event -> {
              throw new IllegalStateException("disk full");
            },
            Clock.systemUTC());
    assertTrue(lenient.decideAndRecord(FakeRequest.get("/o", GOOD)).allowed());
  }

  @Test
  void writesAuditEventsAsOneLineOfJson() {
    AuditEvent event =
        new AuditEvent(
            NOW,
            "req_1",
            null,
            "abcdef012345",
            null,
            null,
            "denied",
            "UNKNOWN",
            "GET",
            "/orders/\"x\"\n",
            401,
            "192.0.2.1",
            false,
            null);
    assertEquals(
        "{\"time\":\"2026-11-28T12:00:00Z\",\"requestId\":\"req_1\",\"keyFingerprint\":\"abcdef012345\","
            + "\"outcome\":\"denied\",\"reason\":\"UNKNOWN\",\"method\":\"GET\",\"path\":\"/orders/\\\"x\\\"\\u000a\","
            + "\"status\":401,\"clientAddress\":\"192.0.2.1\",\"newNetwork\":false}",
        event.toJson());
  }

  private static Decision.Denied denied(Decision decision) {
    return assertInstanceOf(Decision.Denied.class, decision);
  }
}
