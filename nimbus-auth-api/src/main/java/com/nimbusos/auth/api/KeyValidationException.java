package com.nimbusos.auth.api;

/**
 * Thrown by a {@link KeyValidator} that <b>CANNOT DECIDE</b> whether a key is valid, for example
 * because its store is unreachable. It is NOT for invalid keys: return {@link
 * ValidationResult#invalid(InvalidReason)} for those.
 *
 * <p>The request that triggered it fails closed with {@code 503 service_unavailable}. Never put the
 * key into the message: it is logged.
 */
public class KeyValidationException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be checked, without the key
   */
  public KeyValidationException(String message) {
    super(message);
  }

  /**
   * @param message what could not be checked, without the key
   * @param cause the underlying failure
   */
  public KeyValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
