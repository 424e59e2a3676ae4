package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.InvalidReason;

/**
 * Why a request was refused, for operators and the audit trail; clients only see the {@link
 * AuthError}.
 */
public enum DenialReason {
  /** No {@code X-API-Key} header, or an empty one. */
  MISSING_KEY,
  /** More than one {@code X-API-Key} header. */
  DUPLICATE_KEY,
  /** Too long, or characters a key cannot contain; refused before any hashing or lookup. */
  MALFORMED,
  /** See {@link InvalidReason#UNKNOWN}. */
  UNKNOWN,
  /** See {@link InvalidReason#REVOKED}. */
  REVOKED,
  /** See {@link InvalidReason#EXPIRED}. */
  EXPIRED,
  /** See {@link InvalidReason#WRONG_ENVIRONMENT}. */
  WRONG_ENVIRONMENT,
  /** See {@link InvalidReason#DISABLED}. */
  DISABLED,
  /** A valid key without the scope the resource needs. */
  INSUFFICIENT_SCOPE,
  /** The resource denies every caller ({@code @DenyAll}). */
  DENIED_TO_ALL,
  /**
   * A scope rule names the path, but none names the method (see {@code
   * nimbus.auth.deny-uncovered-methods}).
   */
  UNCOVERED_METHOD,
  /** A CORS preflight from an origin outside {@code nimbus.auth.cors.allowed-origins}. */
  CORS_ORIGIN_NOT_ALLOWED,
  /** A {@code .} or {@code ..} segment, raw or percent-encoded, or any encoded {@code .}. */
  DOT_SEGMENT,
  /** An encoded {@code /} or {@code \} ({@code %2F}, {@code %5C}). */
  ENCODED_SEPARATOR,
  /** A raw {@code \} in the path. */
  BACKSLASH,
  /** A path parameter ({@code ;}, raw or encoded). */
  PATH_PARAMETER,
  /** An empty segment ({@code //}). */
  EMPTY_SEGMENT,
  /**
   * An invalid percent-escape, an encoded {@code %} (double encoding), or bytes that are not UTF-8.
   */
  BAD_ENCODING,
  /** A control character, raw or encoded. */
  CONTROL_CHARACTER,
  /**
   * A character that has no place in a raw request path (non-ASCII, space, {@code #}), or no
   * leading {@code /}.
   */
  ILLEGAL_CHARACTER,
  /**
   * The path the runtime routes on is not the path decided: the decoded raw path differs from the
   * container's, or the JAX-RS runtime serves another request target than the servlet filter
   * decided.
   */
  PATH_MISMATCH,
  /** A method outside {@code nimbus.auth.firewall.allowed-methods}. */
  METHOD_NOT_ALLOWED,
  /** Plain HTTP where HTTPS is required. */
  HTTPS_REQUIRED,
  /** The client's address failed too often lately. */
  RATE_LIMITED,
  /** The validator threw, or returned {@code null}. */
  VALIDATOR_UNAVAILABLE,
  /** The audit sink failed, and the decision could not be recorded. */
  AUDIT_UNAVAILABLE;

  /** The denial reason for a validator's verdict. */
  public static DenialReason of(InvalidReason reason) {
    return switch (reason) {
      case UNKNOWN -> UNKNOWN;
      case REVOKED -> REVOKED;
      case EXPIRED -> EXPIRED;
      case WRONG_ENVIRONMENT -> WRONG_ENVIRONMENT;
      case MALFORMED -> MALFORMED;
      case DISABLED -> DISABLED;
    };
  }
}
