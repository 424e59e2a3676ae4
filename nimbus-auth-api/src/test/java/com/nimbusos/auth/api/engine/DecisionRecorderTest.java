package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.KeyUsage;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.DecisionReason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What is recorded of a decision, apart from how it was taken: one audit event per decision, the
 * throttle's and the usage's accounting, one count per verdict; and a recording that fails never
 * lets a request through unaudited unless configured to.
 */
class DecisionRecorderTest {

  private static final String KEY = "sk_test_0123456789012345678901234567890123456";
  private static final String ADDRESS = "192.0.2.10";
  private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");

  private final ApiKeyPrincipal principal =
      new ApiKeyPrincipal("key_1", "acme", Environment.SANDBOX, Set.of(), null);
  private final List<AuditEvent> events = new ArrayList<>();
  private final List<AuditCompletion> completions = new ArrayList<>();
  private final List<String> counted = new ArrayList<>();
  private final FailureThrottle throttle = new FailureThrottle(1, 60, 100);
  private final KeyUsage usage = new KeyUsage();

  private final AuditSink sink =
      new AuditSink() {
        @Override
        public void record(AuditEvent event) {
          events.add(event);
        }

        @Override
        public void complete(AuditCompletion completion) {
          completions.add(completion);
        }
      };

  private final AuthMetrics metrics =
      new AuthMetrics() {
        @Override
        public void decision(DecisionReason reason) {
          counted.add(reason.outcome().tag() + " " + reason.name());
        }

        @Override
        public void validation(ValidationOutcome outcome, long nanos) {}
      };

  @Test
  void aValidatorThatThrowsStillYieldsARefusalAndOneAuditEvent() {
    AuthenticationEngine engine =
        new AuthenticationEngine(
            key -> {
              throw new KeyValidationException("store down");
            },
            NimbusAuthConfig.builder().anyEnvironment().build(),
            sink,
            metrics,
            Clock.fixed(NOW, ZoneOffset.UTC));

    Decision.Denied refused =
        assertInstanceOf(
            Decision.Denied.class, engine.decideAndRecord(FakeRequest.get("/orders", KEY)));

    assertEquals(AuthError.SERVICE_UNAVAILABLE, refused.error());
    assertEquals(DenialReason.VALIDATOR_UNAVAILABLE, refused.reason());
    assertEquals(1, events.size());
    AuditEvent event = events.get(0);
    assertEquals(refused.requestId(), event.requestId());
    assertEquals("denied", event.outcome());
    assertEquals("VALIDATOR_UNAVAILABLE", event.reason());
    assertEquals(503, event.status());
    assertEquals(fingerprint(KEY), event.keyFingerprint());
    assertNull(event.keyId());
    assertEquals(List.of("denied VALIDATOR_UNAVAILABLE"), counted);
  }

  @Test
  void aFailingAuditSinkRefusesTheRequestWith503AndCountsTheRefusal() {
    DecisionRecorder recorder = recorder(failingSink(), true);

    Decision recorded = recorder.record(FakeRequest.get("/orders", KEY), authenticated("r-1"));

    Decision.Denied refused = assertInstanceOf(Decision.Denied.class, recorded);
    assertEquals("r-1", refused.requestId());
    assertEquals(AuthError.SERVICE_UNAVAILABLE, refused.error());
    assertEquals(DenialReason.AUDIT_UNAVAILABLE, refused.reason());
    assertFalse(refused.allowed());
    assertEquals(List.of("denied AUDIT_UNAVAILABLE"), counted);
  }

  @Test
  void aFailingAuditSinkLetsTheDecisionStandOnlyWhenTheAuditFailsOpen() {
    DecisionRecorder recorder = recorder(failingSink(), false);
    Evaluation evaluation = authenticated("r-1");

    assertSame(evaluation.decision(), recorder.record(FakeRequest.get("/orders", KEY), evaluation));
    assertEquals(List.of("allowed AUTHENTICATED"), counted);
  }

  @Test
  void recordsOneEventPerDecisionWithTheKeyItNamesAndTheUseOfTheKey() {
    DecisionRecorder recorder = recorder(sink, true);
    Evaluation evaluation = authenticated("r-1");

    assertSame(evaluation.decision(), recorder.record(FakeRequest.get("/orders", KEY), evaluation));

    assertEquals(1, events.size());
    AuditEvent event = events.get(0);
    assertEquals(NOW, event.time());
    assertEquals("allowed", event.outcome());
    assertEquals("AUTHENTICATED", event.reason());
    assertEquals("key_1", event.keyId());
    assertNull(event.keyFingerprint(), "an accepted key is named by its id only");
    assertEquals("acme", event.owner());
    assertEquals(0, event.status(), "the application answers");
    assertEquals(ADDRESS, event.clientAddress());
    assertTrue(event.newNetwork(), "the key's first use from this network");
    assertEquals(1L, usage.requests("key_1"));
    assertEquals(List.of("allowed AUTHENTICATED"), counted);
  }

  @Test
  void countsAnUnauthorizedRefusalAgainstItsClientButNotAForbiddenOne() {
    DecisionRecorder recorder = recorder(sink, true);

    recorder.record(FakeRequest.get("/orders", KEY), refused(AuthError.FORBIDDEN));
    assertFalse(throttle.isBlocked(ADDRESS, System.nanoTime()), "a 403 is no guess at a key");

    recorder.record(FakeRequest.get("/orders", KEY), refused(AuthError.UNAUTHORIZED));
    assertTrue(throttle.isBlocked(ADDRESS, System.nanoTime()), "one failure allowed, then 429");
    assertEquals(2, events.size());
    assertEquals(fingerprint(KEY), events.get(1).keyFingerprint());
  }

  @Test
  void anAmendedVerdictIsCountedAtOnceAndRecordedOnceAtCompletion() {
    DecisionRecorder recorder = recorder(sink, true);
    Evaluation evaluation = authenticated("r-1");
    Decision first = recorder.record(FakeRequest.get("/orders", KEY), evaluation);
    RequestTrail trail = trailOf(first);
    Decision forbidden =
        new Decision.Denied("r-1", AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
    trail.amend(forbidden);
    recorder.amended(forbidden);

    recorder.complete(trail, 403);
    recorder.complete(trail, 500);

    assertEquals(List.of("allowed AUTHENTICATED", "denied INSUFFICIENT_SCOPE"), counted);
    assertEquals(1, events.size(), "no second event");
    assertEquals(1, completions.size(), "only the first completion records");
    AuditCompletion completion = completions.get(0);
    assertEquals("r-1", completion.requestId());
    assertEquals("denied", completion.outcome());
    assertEquals("INSUFFICIENT_SCOPE", completion.reason());
    assertEquals(403, completion.status());
  }

  @Test
  void aCompletionOnTheFirstDecisionNamesNoNewVerdict() {
    DecisionRecorder recorder = recorder(sink, true);
    Decision first = recorder.record(FakeRequest.get("/orders", KEY), authenticated("r-1"));

    recorder.complete(trailOf(first), 200);

    assertNull(completions.get(0).outcome());
    assertNull(completions.get(0).reason());
    assertEquals(200, completions.get(0).status());
  }

  @Test
  void namesEveryDenialReasonAsADeniedReasonOfTheSameName() {
    for (DenialReason reason : DenialReason.values()) {
      DecisionReason named =
          DecisionRecorder.reasonOf(new Decision.Denied("r", AuthError.FORBIDDEN, reason));
      assertEquals(reason.name(), named.name());
      assertEquals(DecisionReason.Outcome.DENIED, named.outcome());
    }
    assertEquals(
        DecisionReason.AUTHENTICATED,
        DecisionRecorder.reasonOf(new Decision.Authenticated("r", principal)));
    assertEquals(DecisionReason.PUBLIC, DecisionRecorder.reasonOf(new Decision.Anonymous("r")));
    assertEquals(
        DecisionReason.CORS_PREFLIGHT,
        DecisionRecorder.reasonOf(new Decision.Preflight("r", java.util.Map.of())));
  }

  /** A trail as an adapter starts it; the engine that makes it records nothing here. */
  private static RequestTrail trailOf(Decision first) {
    return new AuthenticationEngine(
            key -> null, NimbusAuthConfig.builder().anyEnvironment().build())
        .trail(first, null);
  }

  private DecisionRecorder recorder(AuditSink audit, boolean auditFailClosed) {
    MetricsRecorder meter = new MetricsRecorder(metrics);
    return new DecisionRecorder(
        audit,
        meter,
        new UsageAccounting(throttle, usage, new UsageAnomalies(10, 1_000, 1_000), meter),
        Clock.fixed(NOW, ZoneOffset.UTC),
        auditFailClosed);
  }

  private Evaluation authenticated(String requestId) {
    return new Evaluation(
        new Decision.Authenticated(requestId, principal),
        PresentedKey.of(KEY),
        new ClientResolver.Client(ADDRESS, true));
  }

  private static Evaluation refused(AuthError error) {
    return new Evaluation(
        new Decision.Denied("r-2", error, DenialReason.UNKNOWN),
        PresentedKey.of(KEY),
        new ClientResolver.Client(ADDRESS, true));
  }

  private static AuditSink failingSink() {
    return event -> {
      throw new IllegalStateException("the trail's disk is full");
    };
  }

  private static String fingerprint(String key) {
    return HexFormat.of().formatHex(PresentedKey.of(key).sha256(), 0, 6);
  }
}
