package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.internal.CdiBeans;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.AuthMetrics.ValidationOutcome;
import com.nimbusos.auth.api.metrics.DecisionReason;
import java.lang.System.Logger.Level;

/**
 * Reports decisions, validation times and anomalies to the application's {@link AuthMetrics}, and
 * keeps a failing metrics library from changing any answer: its failure is logged once, not at
 * request rate. With {@link AuthMetrics#NONE} it reads no clock and calls nothing. Thread-safe.
 */
final class MetricsRecorder {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final AuthMetrics metrics;
  private final boolean on;
  private volatile boolean failureLogged;

  MetricsRecorder(AuthMetrics metrics) {
    this.metrics = metrics;
    this.on = metrics != AuthMetrics.NONE; // no clock reads per request when nobody counts
  }

  /** Where the reports go. */
  AuthMetrics metrics() {
    return metrics;
  }

  /** When a validation starts, for {@link #validation}; {@code 0} when nobody counts. */
  long validationStart() {
    return on ? System.nanoTime() : 0L;
  }

  /** Times one validation, started at {@code started} (from {@link #validationStart}). */
  void validation(ValidationOutcome outcome, long started) {
    if (on) {
      try {
        metrics.validation(outcome, System.nanoTime() - started);
      } catch (RuntimeException | LinkageError e) {
        failed(e);
      }
    }
  }

  /** Counts one decision. */
  void decision(DecisionReason reason) {
    if (on) {
      try {
        metrics.decision(reason);
      } catch (RuntimeException | LinkageError e) {
        failed(e);
      }
    }
  }

  /** Counts one request flagged as an anomaly of kind {@code anomaly}. */
  void anomaly(String anomaly) {
    if (on) {
      try {
        metrics.anomaly(anomaly);
      } catch (RuntimeException | LinkageError e) {
        failed(e);
      }
    }
  }

  private void failed(Throwable e) {
    if (!failureLogged) {
      failureLogged = true; // once: a broken registry must not flood the log at request rate
      LOG.log(
          Level.WARNING,
          "Nimbus Auth metrics "
              + CdiBeans.className(metrics)
              + " failed; decisions are unaffected",
          e);
    }
  }
}
