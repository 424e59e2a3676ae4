package com.nimbusos.auth.api;

/**
 * Why a key was refused. Recorded for operators; clients always receive the same {@code 401}
 * whatever the reason, so that they learn nothing from the difference.
 */
public enum InvalidReason {
  /** No key with this value exists. */
  UNKNOWN,
  /** The key existed but was revoked. */
  REVOKED,
  /** The key's expiry time has passed. */
  EXPIRED,
  /**
   * The key belongs to the other environment (a production key sent to sandbox, or the reverse).
   */
  WRONG_ENVIRONMENT,
  /** The value cannot be a key at all (bad format or checksum). */
  MALFORMED,
  /** The key, or the partner that owns it, is disabled. */
  DISABLED
}
