package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.InvalidReason;

/** Why a request was refused, for operators and the audit trail; clients only see the {@link AuthError}. */
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
