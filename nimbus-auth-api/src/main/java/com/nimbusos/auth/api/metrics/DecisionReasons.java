package com.nimbusos.auth.api.metrics;

import java.util.List;

/**
 * Every reason a decision can carry, so that back-ends create each series at start, at zero. The
 * denied ones are {@code engine.DenialReason}'s names, written out rather than read from the enum
 * so that this package does not depend on the engine, which depends on it; {@code
 * DecisionReasonsTest} keeps the two lists equal.
 */
final class DecisionReasons {

  /** The reasons of allowed decisions. */
  static final List<String> ALLOWED = List.of("AUTHENTICATED", "PUBLIC", "CORS_PREFLIGHT");

  /** The kinds of anomaly a request can be flagged with. */
  static final List<String> ANOMALIES = List.of("RATE_SPIKE", "SPRAYING");

  /** The reasons of denied decisions, in {@code DenialReason}'s order. */
  static final List<String> DENIED =
      List.of(
          "MISSING_KEY",
          "DUPLICATE_KEY",
          "MALFORMED",
          "UNKNOWN",
          "REVOKED",
          "EXPIRED",
          "WRONG_ENVIRONMENT",
          "DISABLED",
          "INSUFFICIENT_SCOPE",
          "DENIED_TO_ALL",
          "UNCOVERED_METHOD",
          "CORS_ORIGIN_NOT_ALLOWED",
          "DOT_SEGMENT",
          "ENCODED_SEPARATOR",
          "BACKSLASH",
          "PATH_PARAMETER",
          "EMPTY_SEGMENT",
          "BAD_ENCODING",
          "CONTROL_CHARACTER",
          "ILLEGAL_CHARACTER",
          "PATH_MISMATCH",
          "METHOD_NOT_ALLOWED",
          "HTTPS_REQUIRED",
          "RATE_LIMITED",
          "VALIDATOR_UNAVAILABLE",
          "AUDIT_UNAVAILABLE");

  private DecisionReasons() {}
}
