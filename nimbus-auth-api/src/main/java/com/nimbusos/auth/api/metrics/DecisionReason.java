package com.nimbusos.auth.api.metrics;

/**
 * Why a decision went the way it did, as the audit trail says it: the {@code reason} tag of {@code
 * nimbus.auth.decisions}, each with its {@link #outcome() outcome} tag. The denied ones carry the
 * names of {@code engine.DenialReason}, in its order, written out rather than derived so that this
 * package does not depend on the engine, which depends on it; {@code DecisionReasonTest} keeps the
 * two equal.
 */
public enum DecisionReason {
  /** A valid key was accepted. */
  AUTHENTICATED(Outcome.ALLOWED),
  /** A public path or a {@code @PermitAll} resource: no key needed. */
  PUBLIC(Outcome.ALLOWED),
  /** A CORS preflight from an allowed origin, answered by Nimbus Auth. */
  CORS_PREFLIGHT(Outcome.ALLOWED),
  // Refusals: engine.DenialReason's names, in its order, documented there.
  MISSING_KEY,
  DUPLICATE_KEY,
  MALFORMED,
  UNKNOWN,
  REVOKED,
  EXPIRED,
  WRONG_ENVIRONMENT,
  DISABLED,
  INSUFFICIENT_SCOPE,
  DENIED_TO_ALL,
  UNCOVERED_METHOD,
  CORS_ORIGIN_NOT_ALLOWED,
  DOT_SEGMENT,
  ENCODED_SEPARATOR,
  BACKSLASH,
  PATH_PARAMETER,
  EMPTY_SEGMENT,
  BAD_ENCODING,
  CONTROL_CHARACTER,
  ILLEGAL_CHARACTER,
  PATH_MISMATCH,
  METHOD_NOT_ALLOWED,
  HTTPS_REQUIRED,
  RATE_LIMITED,
  VALIDATOR_UNAVAILABLE,
  AUDIT_UNAVAILABLE;

  private final Outcome outcome;

  /** A refusal: the reason is the {@code engine.DenialReason} of the same name. */
  DecisionReason() {
    this(Outcome.DENIED);
  }

  DecisionReason(Outcome outcome) {
    this.outcome = outcome;
  }

  /** Whether a decision for this reason lets the request proceed. */
  public Outcome outcome() {
    return outcome;
  }

  /** Whether the request may proceed: the {@code outcome} tag. */
  public enum Outcome {
    /** The request proceeds (or, for a preflight, is answered as allowed). */
    ALLOWED("allowed"),
    /** The request is refused. */
    DENIED("denied");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    /** The tag value, as in the audit trail: {@code allowed} or {@code denied}. */
    public String tag() {
      return tag;
    }
  }
}
