package com.nimbusos.auth.jaxrs.keys;

/**
 * A management request refused or failed: the status and body code the client gets. The message is
 * the client's too, so it never holds a key, a hash, or anything about keys the caller may not see.
 */
final class ManagementException extends Exception {

  private static final long serialVersionUID = 1L;

  /** What the client gets, status and error code alike. */
  enum Kind {
    BAD_REQUEST(400, "bad_request"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    CONFLICT(409, "conflict"),
    UNAVAILABLE(503, "service_unavailable");

    final int status;
    final String code;

    Kind(int status, String code) {
      this.status = status;
      this.code = code;
    }
  }

  private final Kind kind;

  ManagementException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  static ManagementException badRequest(String message) {
    return new ManagementException(Kind.BAD_REQUEST, message);
  }

  /** Always the same message: a refusal says nothing about what exists or why. */
  static ManagementException forbidden() {
    return new ManagementException(Kind.FORBIDDEN, "Insufficient permissions");
  }

  /**
   * Unknown keys and keys out of the caller's reach alike, so that key ids of others cannot be
   * probed.
   */
  static ManagementException notFound() {
    return new ManagementException(Kind.NOT_FOUND, "No such key");
  }

  Kind kind() {
    return kind;
  }
}
