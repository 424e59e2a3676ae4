package com.nimbusos.auth.api.keys;

/**
 * A key store failed: unreachable, corrupt, or refused a write (duplicate id). Messages name ids,
 * never keys or hashes.
 */
public class KeyStoreException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   */
  public KeyStoreException(String message) {
    super(message);
  }

  /**
   * @param message what failed
   * @param cause why
   */
  public KeyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
