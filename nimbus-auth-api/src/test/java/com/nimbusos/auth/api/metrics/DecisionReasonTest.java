package com.nimbusos.auth.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.api.engine.DenialReason;
import com.nimbusos.auth.api.metrics.DecisionReason.Outcome;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics package names the engine's reasons without depending on the engine: the names must
 * agree, and the tags stay those the audit trail writes.
 */
class DecisionReasonTest {

  @Test
  void namesEveryDenialReasonInItsOrderAsADeniedReason() {
    assertEquals(
        Arrays.stream(DenialReason.values()).map(Enum::name).toList(),
        Arrays.stream(DecisionReason.values())
            .filter(reason -> reason.outcome() == Outcome.DENIED)
            .map(Enum::name)
            .toList());
  }

  @Test
  void theAllowedReasonsAreThoseOfTheAuditTrail() {
    assertEquals(
        List.of("AUTHENTICATED", "PUBLIC", "CORS_PREFLIGHT"),
        Arrays.stream(DecisionReason.values())
            .filter(reason -> reason.outcome() == Outcome.ALLOWED)
            .map(Enum::name)
            .toList());
  }

  @Test
  void outcomeTagsAreLowerCaseAsInTheAuditTrail() {
    assertEquals("allowed", Outcome.ALLOWED.tag());
    assertEquals("denied", Outcome.DENIED.tag());
  }

  @Test
  @SuppressWarnings("removal") // the signature kept for implementations written against it
  void anImplementationOfTheStringSignatureStillCountsEveryDecision() {
    List<String> seen = new java.util.ArrayList<>();
    AuthMetrics stringlyTyped =
        new AuthMetrics() {
          @Override
          public void decision(String outcome, String reason) {
            seen.add(outcome + " " + reason);
          }

          @Override
          public void validation(ValidationOutcome outcome, long nanos) {}
        };
    stringlyTyped.decision(DecisionReason.AUTHENTICATED);
    stringlyTyped.decision(DecisionReason.REVOKED);
    assertEquals(List.of("allowed AUTHENTICATED", "denied REVOKED"), seen);
  }
}
