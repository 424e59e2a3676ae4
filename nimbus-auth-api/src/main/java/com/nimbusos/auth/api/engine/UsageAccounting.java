package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.audit.KeyUsage;

/**
 * Counts what each decision says about its client and key: a refused key against its client's
 * address (the {@link FailureThrottle} that later refuses it with {@code 429}), an accepted key's
 * use from its client's network ({@link KeyUsage}), and both for {@linkplain UsageAnomalies
 * anomalies}, which are counted in the metrics too. Thread-safe.
 */
final class UsageAccounting {

  /** What the accounting of one decision found: a first use from a new network, an anomaly. */
  record Accounted(boolean newNetwork, String anomaly) {

    /** Nothing found: the usual case, and no object per request. */
    static final Accounted NOTHING = new Accounted(false, null);

    static Accounted of(boolean newNetwork, String anomaly) {
      return !newNetwork && anomaly == null ? NOTHING : new Accounted(newNetwork, anomaly);
    }
  }

  private final FailureThrottle throttle;
  private final KeyUsage usage;
  private final UsageAnomalies anomalies;
  private final MetricsRecorder metrics;

  UsageAccounting(
      FailureThrottle throttle, KeyUsage usage, UsageAnomalies anomalies, MetricsRecorder metrics) {
    this.throttle = throttle;
    this.usage = usage;
    this.anomalies = anomalies;
    this.metrics = metrics;
  }

  /**
   * Counts a failed key against its client's address, or a key's use from its address, and watches
   * both for anomalies.
   *
   * @param fingerprint the fingerprint of a well-formed key that did not authenticate, else {@code
   *     null}
   */
  Accounted account(Evaluation evaluation, long nowMillis, String fingerprint) {
    Decision decision = evaluation.decision();
    String address = evaluation.client().address();
    if (decision instanceof Decision.Authenticated authenticated) {
      String keyId = authenticated.caller().keyId();
      boolean newNetwork = usage.record(keyId, address);
      return Accounted.of(newNetwork, flagged(anomalies.accepted(keyId, nowMillis)));
    }
    if (decision instanceof Decision.Denied denied) {
      if (denied.error() == AuthError.UNAUTHORIZED) {
        throttle.recordFailure(address, System.nanoTime());
      }
      if (fingerprint != null) {
        return Accounted.of(false, flagged(anomalies.refused(fingerprint, address, nowMillis)));
      }
    }
    return Accounted.NOTHING;
  }

  private String flagged(String anomaly) {
    if (anomaly != null) {
      metrics.anomaly(anomaly);
    }
    return anomaly;
  }
}
