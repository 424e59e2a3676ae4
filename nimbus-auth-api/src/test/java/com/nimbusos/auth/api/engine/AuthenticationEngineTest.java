package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthenticationEngineTest {

  private static final String GOOD = "sk_test_good0000000000000000000000";
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private final AtomicInteger validations = new AtomicInteger();
  private ApiKeyPrincipal principal =
      new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of("orders:read"), null);
  private final KeyValidator validator =
      key -> {
        validations.incrementAndGet();
        return key.value().equals(GOOD)
            ? ValidationResult.valid(principal)
            : ValidationResult.invalid(InvalidReason.UNKNOWN);
      };

  private AuthenticationEngine engine(NimbusAuthConfig config) {
    return new AuthenticationEngine(validator, config, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private AuthenticationEngine engine() {
    return engine(NimbusAuthConfig.builder().anyEnvironment().build());
  }

  @Test
  void acceptsAValidKey() {
    Decision decision = engine().decideAndRecord(FakeRequest.get("/orders", GOOD));
    assertEquals(principal, assertInstanceOf(Decision.Authenticated.class, decision).caller());
    assertTrue(decision.requestId().matches("req_[0-9a-f]{24}"));
  }

  @Test
  void refusesPlainHttpBeforeLookingAtTheKey() {
    Decision decision = engine().decideAndRecord(FakeRequest.get("/orders", GOOD).insecure());
    assertDenied(decision, AuthError.HTTPS_REQUIRED, DenialReason.HTTPS_REQUIRED);
    assertEquals(0, validations.get());
  }

  @Test
  void refusesPlainHttpEvenOnPublicPaths() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().anyEnvironment().publicPaths("/health").build());
    assertDenied(
        engine.decideAndRecord(FakeRequest.get("/health").insecure()),
        AuthError.HTTPS_REQUIRED,
        DenialReason.HTTPS_REQUIRED);
  }

  @Test
  void letsPublicPathsThroughWithoutAKey() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().anyEnvironment().publicPaths("/health").build());
    assertInstanceOf(Decision.Anonymous.class, engine.decideAndRecord(FakeRequest.get("/health")));
    assertDenied(
        engine.decideAndRecord(FakeRequest.get("/orders")),
        AuthError.UNAUTHORIZED,
        DenialReason.MISSING_KEY);
  }

  @Test
  void tellsMissingDuplicateAndMalformedKeysApartForTheAuditOnly() {
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o")),
        AuthError.UNAUTHORIZED,
        DenialReason.MISSING_KEY);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", "  ")),
        AuthError.UNAUTHORIZED,
        DenialReason.MISSING_KEY);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", GOOD, GOOD)),
        AuthError.UNAUTHORIZED,
        DenialReason.DUPLICATE_KEY);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", "sk_test_a b")),
        AuthError.UNAUTHORIZED,
        DenialReason.MALFORMED);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", "sk_test_\u0000")),
        AuthError.UNAUTHORIZED,
        DenialReason.MALFORMED);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", "sk_test_é")),
        AuthError.UNAUTHORIZED,
        DenialReason.MALFORMED);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", "x".repeat(257))),
        AuthError.UNAUTHORIZED,
        DenialReason.MALFORMED);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", "sk_test_other")),
        AuthError.UNAUTHORIZED,
        DenialReason.UNKNOWN);
    assertEquals(1, validations.get(), "only the well-formed single key reached the validator");
  }

  @Test
  void acceptsAKeyOfExactlyTheMaximumLength() {
    KeyValidator any = key -> ValidationResult.valid(principal);
    AuthenticationEngine engine =
        new AuthenticationEngine(any, NimbusAuthConfig.builder().anyEnvironment().build());
    assertTrue(engine.decideAndRecord(FakeRequest.get("/o", "x".repeat(256))).allowed());
  }

  @Test
  void refusesAKeyOfTheOtherEnvironment() {
    AuthenticationEngine engine =
        engine(NimbusAuthConfig.builder().environment(Environment.PRODUCTION).build());
    assertDenied(
        engine.decideAndRecord(FakeRequest.get("/o", GOOD)),
        AuthError.UNAUTHORIZED,
        DenialReason.WRONG_ENVIRONMENT);
  }

  @Test
  void refusesAKeyThatExpiredEvenIfItsValidatorForgotToCheck() {
    principal = new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of(), NOW);
    assertDenied(
        engine().decideAndRecord(FakeRequest.get("/o", GOOD)),
        AuthError.UNAUTHORIZED,
        DenialReason.EXPIRED);
    principal = new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of(), NOW.plusNanos(1));
    assertTrue(engine().decideAndRecord(FakeRequest.get("/o", GOOD)).allowed());
  }

  @Test
  void appliesTheFirstMatchingScopeRule() {
    AuthenticationEngine engine =
        engine(
            NimbusAuthConfig.builder()
                .anyEnvironment()
                .scopeRules(
                    "GET /orders/* = orders:read; /orders/* = orders:write; /admin/* = admin")
                .build());
    assertTrue(engine.decideAndRecord(FakeRequest.get("/orders/1", GOOD)).allowed());
    assertDenied(
        engine.decideAndRecord(FakeRequest.get("/orders/1", GOOD).method("DELETE")),
        AuthError.FORBIDDEN,
        DenialReason.INSUFFICIENT_SCOPE);
    assertDenied(
        engine.decideAndRecord(FakeRequest.get("/admin/", GOOD)),
        AuthError.FORBIDDEN,
        DenialReason.INSUFFICIENT_SCOPE);
    assertTrue(
        engine.decideAndRecord(FakeRequest.get("/other", GOOD)).allowed(),
        "no rule: any valid key");
  }

  @Test
  void authorizesDeclaredResourceAccess() {
    AuthenticationEngine engine = engine();
    Decision authenticated = engine.decideAndRecord(FakeRequest.get("/o", GOOD));
    Decision anonymous = new Decision.Anonymous("req_000000000000000000000000");
    assertTrue(
        engine
            .authorizeWithoutRecording(
                authenticated, ResourceAccess.anyOf(Set.of("orders:read", "x")))
            .allowed());
    assertDenied(
        engine.authorizeWithoutRecording(authenticated, ResourceAccess.anyOf(Set.of("x"))),
        AuthError.FORBIDDEN,
        DenialReason.INSUFFICIENT_SCOPE);
    assertDenied(
        engine.authorizeWithoutRecording(authenticated, ResourceAccess.anyOf(Set.of())),
        AuthError.FORBIDDEN,
        DenialReason.INSUFFICIENT_SCOPE);
    assertDenied(
        engine.authorizeWithoutRecording(authenticated, ResourceAccess.denyAll()),
        AuthError.FORBIDDEN,
        DenialReason.DENIED_TO_ALL);
    assertDenied(
        engine.authorizeWithoutRecording(anonymous, ResourceAccess.anyOf(Set.of("x"))),
        AuthError.UNAUTHORIZED,
        DenialReason.MISSING_KEY);
    assertDenied(
        engine.authorizeWithoutRecording(anonymous, ResourceAccess.denyAll()),
        AuthError.UNAUTHORIZED,
        DenialReason.MISSING_KEY);
    assertTrue(
        engine.authorizeWithoutRecording(anonymous, ResourceAccess.authenticated()).allowed());
    assertEquals(
        authenticated.requestId(),
        engine.authorizeWithoutRecording(authenticated, ResourceAccess.denyAll()).requestId());
  }

  @Test
  void needsNoKeyForPermitAllResources() {
    assertInstanceOf(
        Decision.Anonymous.class,
        engine().decideAndRecord(FakeRequest.get("/o"), ResourceAccess.permitAll()));
    assertEquals(0, validations.get());
  }

  @Test
  void failsClosedWhenTheValidatorThrowsOrReturnsNull() {
    NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().build();
    KeyValidator throwing =
        key -> {
          throw new IllegalStateException("boom");
        };
    KeyValidator returningNull = key -> null;
    for (KeyValidator broken : List.of(throwing, returningNull)) {
      Decision decision =
          new AuthenticationEngine(broken, config).decideAndRecord(FakeRequest.get("/o", GOOD));
      assertDenied(decision, AuthError.SERVICE_UNAVAILABLE, DenialReason.VALIDATOR_UNAVAILABLE);
    }
  }

  @Test
  void rendersTheDocumentedErrorResponse() {
    Decision.Denied denied =
        new Decision.Denied(
            "req_0123456789abcdef01234567", AuthError.UNAUTHORIZED, DenialReason.UNKNOWN);
    ErrorResponse response = engine().errorResponse(denied);
    assertEquals(401, response.status());
    assertEquals(
        Map.of(
            "Content-Type", "application/json",
            "Cache-Control", "no-store",
            "X-Request-Id", "req_0123456789abcdef01234567",
            "WWW-Authenticate", "ApiKey realm=\"nimbus\""),
        response.headers());
    assertEquals(
        new ErrorBody(
            new ErrorBody.Detail(
                "unauthorized", "Invalid or missing API key", "req_0123456789abcdef01234567")),
        response.body());
  }

  @Test
  void announcesTheExpiryOfAnExpiringKeyWithSunset() {
    principal =
        new ApiKeyPrincipal(
            "k_1", "acme", Environment.SANDBOX, Set.of(), Instant.parse("2027-03-05T06:07:08Z"));
    Decision decision = engine().decideAndRecord(FakeRequest.get("/o", GOOD));
    assertEquals(
        Map.of("X-Request-Id", decision.requestId(), "Sunset", "Fri, 05 Mar 2027 06:07:08 GMT"),
        engine().successHeaders(decision));
    assertEquals(
        Map.of("X-Request-Id", "req_1"), engine().successHeaders(new Decision.Anonymous("req_1")));
  }

  @Test
  void putsWwwAuthenticateOnlyOn401() {
    Decision.Denied forbidden =
        new Decision.Denied("req_1", AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
    assertFalse(engine().errorResponse(forbidden).headers().containsKey("WWW-Authenticate"));
  }

  private static void assertDenied(Decision decision, AuthError error, DenialReason reason) {
    Decision.Denied denied = assertInstanceOf(Decision.Denied.class, decision);
    assertEquals(error, denied.error());
    assertEquals(reason, denied.reason());
  }
}
