package com.nimbusos.auth.api.metrics;

import java.util.Locale;

/**
 * Receives every decision and the time each key validation took, to be counted by a metrics library. The
 * built-in ones report to Micrometer ({@code nimbus.auth.decisions}, {@code nimbus.auth.validation}) and to
 * MicroProfile Metrics under the same names; an application may provide its own as a CDI bean.
 *
 * <p>Called on every request, so implementations must be thread-safe and cheap. An implementation that
 * throws does not change any decision: the engine logs it and goes on.
 */
public interface AuthMetrics {

  /** Reports nothing; what the engine uses when no metrics library is present. */
  AuthMetrics NONE = new AuthMetrics() {
    @Override
    public void decision(String outcome, String reason) {}

    @Override
    public void validation(ValidationOutcome outcome, long nanos) {}

    @Override
    public String describe() {
      return "none";
    }
  };

  /**
   * Counts one decision.
   *
   * @param outcome {@code allowed} or {@code denied}, as in the audit trail
   * @param reason as in the audit trail: {@code AUTHENTICATED}, {@code PUBLIC}, or the name of a {@link
   *     com.nimbusos.auth.api.engine.DenialReason}
   */
  void decision(String outcome, String reason);

  /**
   * Records how long the {@link com.nimbusos.auth.api.KeyValidator} took to decide on one well-formed key.
   * Keys refused before validation (missing, malformed, throttled) are not timed.
   */
  void validation(ValidationOutcome outcome, long nanos);

  /** What the start-up log line says about where metrics go. */
  default String describe() {
    return getClass().getName();
  }

  /** What the validator answered. */
  enum ValidationOutcome {
    /** The key is valid. */
    VALID,
    /** The key is unknown, revoked, expired, disabled or of the wrong environment. */
    INVALID,
    /** The validator threw or returned {@code null}: the request failed closed with {@code 503}. */
    FAILED;

    /** The tag value: the name in lower case. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
