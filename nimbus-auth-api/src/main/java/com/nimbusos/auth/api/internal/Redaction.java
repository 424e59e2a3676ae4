package com.nimbusos.auth.api.internal;

/**
 * Removes a secret from throwables before they are logged: a custom validator may carelessly put
 * the key into an exception message, and the stack trace must not carry it into the logs.
 */
public final class Redaction {

  private Redaction() {}

  /**
   * Returns {@code thrown} itself when no message in its cause chain contains {@code secret};
   * otherwise an equivalent chain (same classes named, same stack traces) whose messages show
   * {@code replacement} instead.
   */
  public static Throwable scrub(Throwable thrown, String secret, String replacement) {
    if (thrown == null || !mentions(thrown, secret)) {
      return thrown;
    }
    String message =
        thrown.getMessage() == null ? "" : thrown.getMessage().replace(secret, replacement);
    RedactedException copy =
        new RedactedException(
            thrown.getClass().getName() + ": " + message,
            scrub(thrown.getCause(), secret, replacement));
    copy.setStackTrace(thrown.getStackTrace());
    return copy;
  }

  private static boolean mentions(Throwable thrown, String secret) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth < 32; t = t.getCause(), depth++) {
      if (contains(t.getMessage(), secret) || contains(t.getLocalizedMessage(), secret)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(String text, String secret) {
    return text != null && text.contains(secret);
  }

  /** Stands in for a throwable whose message had to be redacted. */
  static final class RedactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedactedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
