package com.nimbusos.auth.api.audit.trail;

/**
 * The trail cannot take a record now (its file cannot be written, the disk is full, the database is
 * down). Thrown by the sinks' {@code record}, so that the request fails closed with {@code 503};
 * the message says what is wrong and where, and never holds a key or a record. The sinks recover by
 * themselves once they can write again.
 */
public final class AuditTrailUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** An exception saying why the trail cannot record. */
  public AuditTrailUnavailableException(String message) {
    super(message);
  }

  /** An exception saying why the trail cannot record, and what caused it. */
  public AuditTrailUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
