package com.nimbusos.auth.api.metrics;

import java.util.Locale;

/**
 * Receives every decision and the time each key validation took, to be counted by a metrics
 * library. A decision is what the audit trail records: a request refused by a later check (a
 * resource's {@code @RolesAllowed} after the servlet filter let it in, a forward to a protected
 * path) counts once as allowed and once as denied, as its one audit event records both its decision
 * and the verdict it ended on. The built-in ones report to Micrometer ({@code
 * nimbus.auth.decisions}, {@code nimbus.auth.validation}) and to MicroProfile Metrics under the
 * same names; an application may provide its own as a CDI bean.
 *
 * <p>Called on every request, so implementations must be thread-safe and cheap. An implementation
 * that throws does not change any decision: the engine logs it and goes on.
 */
public interface AuthMetrics {

  /** Reports nothing; what the engine uses when no metrics library is present. */
  AuthMetrics NONE =
      new AuthMetrics() {
        @Override
        public void decision(DecisionReason reason) {}

        @Override
        public void validation(ValidationOutcome outcome, long nanos) {}

        @Override
        public String describe() {
          return "none";
        }
      };

  /**
   * Counts one decision. Implement this one; it calls {@link #decision(String, String)} only so
   * that implementations written against that earlier signature keep counting.
   *
   * @param reason why, as in the audit trail; its {@link DecisionReason#outcome() outcome} says
   *     whether the request was allowed or denied
   */
  default void decision(DecisionReason reason) {
    decision(reason.outcome().tag(), reason.name());
  }

  /**
   * Counts one decision, named by strings: the signature before {@link #decision(DecisionReason)},
   * which the engine calls instead; kept, as that method's default calls it, so that an
   * implementation written against it still counts. Does nothing unless overridden.
   *
   * @param outcome {@code allowed} or {@code denied}, as in the audit trail
   * @param reason as in the audit trail: {@code AUTHENTICATED}, {@code PUBLIC}, {@code
   *     CORS_PREFLIGHT}, or the name of a {@link com.nimbusos.auth.api.engine.DenialReason}
   * @deprecated implement {@link #decision(DecisionReason)}: {@code reason.outcome().tag()} and
   *     {@code reason.name()} are the two strings this receives
   */
  @Deprecated(since = "0.1.0", forRemoval = true)
  default void decision(String outcome, String reason) {}

  /**
   * Records how long the {@link com.nimbusos.auth.api.KeyValidator} took to decide on one
   * well-formed key. Keys refused before validation (missing, malformed, throttled) are not timed.
   *
   * @param outcome what the validator answered
   * @param nanos how long it took, in nanoseconds
   */
  void validation(ValidationOutcome outcome, long nanos);

  /**
   * Counts one request flagged as an anomaly of key usage.
   *
   * @param kind {@code RATE_SPIKE} or {@code SPRAYING}, as in the audit trail
   */
  default void anomaly(String kind) {}

  /** What the start-up log line says about where metrics go. */
  default String describe() {
    return getClass().getName();
  }

  /** What the validator answered. */
  enum ValidationOutcome {
    /**
     * The validator found the key valid (the engine may still refuse it as expired or of the other
     * environment).
     */
    VALID,
    /**
     * The validator found the key invalid: unknown, revoked, expired, disabled, of the wrong
     * environment.
     */
    INVALID,
    /** The validator threw or returned {@code null}: the request failed closed with {@code 503}. */
    FAILED;

    /** The tag value: the name in lower case. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
