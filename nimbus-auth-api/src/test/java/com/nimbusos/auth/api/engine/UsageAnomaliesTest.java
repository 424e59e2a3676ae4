package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.DecisionReason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rate spikes and spraying, on a clock the test moves. */
class UsageAnomaliesTest {

  private static final long MINUTE = 60_000;
  private static final long T0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  @Test
  void flagsAKeyUsedFarFasterThanItsOwnTrailingHourRate() {
    UsageAnomalies anomalies = new UsageAnomalies(10, 50, 0);
    // An hour at 20 requests a minute: its usual pace, never flagged.
    for (int minute = 0; minute < 60; minute++) {
      for (int i = 0; i < 20; i++) {
        assertNull(anomalies.accepted("k_1", T0 + minute * MINUTE + i));
      }
    }
    long spikeMinute = T0 + 60 * MINUTE;
    int firstFlagged = -1;
    for (int i = 1; i <= 400; i++) {
      if (anomalies.accepted("k_1", spikeMinute + i) != null && firstFlagged < 0) {
        firstFlagged = i;
      }
    }
    // Its trailing-hour rate is 20 a minute: flagged past ten times that.
    assertEquals(201, firstFlagged);
    assertEquals(UsageAnomalies.RATE_SPIKE, anomalies.accepted("k_1", spikeMinute + 401));
    assertNull(anomalies.accepted("k_1", spikeMinute + MINUTE), "a new minute starts quiet");
  }

  @Test
  void aKeyWithoutTenMinutesOfHistoryOrBelowTheFloorIsNeverASpike() {
    UsageAnomalies anomalies = new UsageAnomalies(10, 50, 0);
    for (int i = 0; i < 1000; i++) {
      assertNull(anomalies.accepted("new", T0 + i), "a brand-new key has no pace of its own yet");
    }
    UsageAnomalies floor = new UsageAnomalies(10, 500, 0);
    floor.accepted("k", T0);
    for (int i = 0; i < 499; i++) {
      assertNull(
          floor.accepted("k", T0 + 11 * MINUTE + i),
          "under the minimum count, a burst is no spike");
    }
    assertEquals(UsageAnomalies.RATE_SPIKE, floor.accepted("k", T0 + 11 * MINUTE + 500));
  }

  @Test
  void flagsAKeyRefusedFromManyAddressesWithinTenMinutes() {
    UsageAnomalies anomalies = new UsageAnomalies(0, 1, 5);
    for (int a = 1; a <= 4; a++) {
      assertNull(anomalies.refused("fp", "192.0.2." + a, T0 + a));
      assertNull(
          anomalies.refused("fp", "192.0.2." + a, T0 + a + 1),
          "the same address again counts once");
    }
    assertEquals(UsageAnomalies.SPRAYING, anomalies.refused("fp", "192.0.2.5", T0 + 10));
    assertNull(anomalies.refused("other", "192.0.2.6", T0 + 11), "another key is counted apart");
    assertNull(
        anomalies.refused("fp", "192.0.2.7", T0 + 10 * MINUTE + 11), "a new window starts empty");
  }

  @Test
  void staysBoundedWhateverTheNumberOfKeys() {
    UsageAnomalies anomalies = new UsageAnomalies(10, 1, 10);
    for (int i = 0; i < 3 * UsageAnomalies.MAX_TRACKED; i++) {
      anomalies.accepted("k_" + i, T0 + i);
      anomalies.refused("fp_" + i, "192.0.2.1", T0 + i);
    }
    assertTrue(
        anomalies.tracked() <= 2 * UsageAnomalies.MAX_TRACKED, "tracked " + anomalies.tracked());
  }

  @Test
  void countsWhatItTracksOfBothKinds() {
    UsageAnomalies anomalies = new UsageAnomalies(10, 1, 10);
    anomalies.accepted("k_1", T0);
    anomalies.accepted("k_1", T0 + 1);
    anomalies.refused("fp_1", "192.0.2.1", T0);
    anomalies.refused("fp_2", "192.0.2.1", T0);
    assertEquals(3, anomalies.tracked());
  }

  @Test
  void makingRoomDropsTheIdlestKeysAndKeepsTheActiveOnesCounting() {
    UsageAnomalies anomalies = new UsageAnomalies(0, 1, 3);
    anomalies.refused("cold", "192.0.2.1", T0);
    anomalies.refused("cold", "192.0.2.2", T0);
    anomalies.refused("hot", "192.0.2.1", T0);
    anomalies.refused("hot", "192.0.2.2", T0);
    for (int i = 1; i <= UsageAnomalies.MAX_TRACKED; i++) {
      anomalies.refused("fp_" + i, "192.0.2.1", T0 + i);
      if (i % 1000 == 0) {
        anomalies.refused(
            "hot", "192.0.2.2", T0 + i); // still being sprayed: never among the idlest
      }
    }
    assertTrue(anomalies.tracked() < UsageAnomalies.MAX_TRACKED, "tracked " + anomalies.tracked());
    long now = T0 + UsageAnomalies.MAX_TRACKED + 1;
    assertEquals(
        UsageAnomalies.SPRAYING,
        anomalies.refused("hot", "192.0.2.3", now),
        "the active key kept its count");
    assertNull(
        anomalies.refused("cold", "192.0.2.3", now), "the idlest key was dropped and starts again");
  }

  @Test
  void theEngineNamesTheAnomalyInTheAuditEventAndCountsIt() {
    List<AuditEvent> events = new ArrayList<>();
    List<String> counted = new ArrayList<>();
    AuthMetrics metrics =
        new AuthMetrics() {
          @Override
          public void decision(DecisionReason reason) {}

          @Override
          public void validation(ValidationOutcome outcome, long nanos) {}

          @Override
          public void anomaly(String kind) {
            counted.add(kind);
          }
        };
    ApiKeyPrincipal principal =
        new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of(), null);
    AuthenticationEngine engine =
        new AuthenticationEngine(
            key ->
                key.value().equals("sk_test_good0000000000000000000000")
                    ? ValidationResult.valid(principal)
                    : ValidationResult.invalid(InvalidReason.REVOKED),
            NimbusAuthConfig.builder()
                .anyEnvironment()
                .throttle(0, 60)
                .anomalySprayAddresses(3)
                .build(),
            events::add,
            metrics,
            Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
    for (int a = 1; a <= 3; a++) {
      engine.decideAndRecord(
          FakeRequest.get("/orders", "sk_test_leaked000000000000000000000")
              .from("198.51.100." + a));
    }
    assertNull(events.get(1).anomaly());
    assertEquals("SPRAYING", events.get(2).anomaly());
    assertTrue(
        events.get(2).toJson().endsWith(",\"anomaly\":\"SPRAYING\"}"), events.get(2).toJson());
    assertEquals(List.of("SPRAYING"), counted);
  }
}
