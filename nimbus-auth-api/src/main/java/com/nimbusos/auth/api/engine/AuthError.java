package com.nimbusos.auth.api.engine;

/**
 * The errors clients can receive, each with its HTTP status and the exact code and message of its
 * body.
 */
public enum AuthError {
  /**
   * A request target the engine refuses to decide because runtimes could read it differently
   * (dot-segments, encoded separators, path parameters, bad escapes…): see {@code RequestFirewall}.
   */
  BAD_REQUEST(400, "bad_request", "Malformed request"),
  /**
   * Missing, unknown, revoked, expired, malformed or wrong-environment key: deliberately all alike.
   */
  UNAUTHORIZED(401, "unauthorized", "Invalid or missing API key"),
  /** A valid key without the scope the resource needs. */
  FORBIDDEN(403, "forbidden", "Insufficient permissions"),
  /** A plain-HTTP request where HTTPS is required; never redirected, which would resend the key. */
  HTTPS_REQUIRED(403, "https_required", "HTTPS is required"),
  /**
   * A method outside {@code nimbus.auth.firewall.allowed-methods}; the response's {@code Allow}
   * lists those.
   */
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed"),
  /** Too many failed attempts from the client's address; {@code Retry-After} says for how long. */
  RATE_LIMITED(429, "rate_limited", "Too many failed attempts"),
  /**
   * The validator could not decide, or the audit trail could not record; the request fails closed.
   */
  SERVICE_UNAVAILABLE(503, "service_unavailable", "Authentication is temporarily unavailable");

  private final int status;
  private final String code;
  private final String message;

  AuthError(int status, String code, String message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The body's {@code error.code}. */
  public String code() {
    return code;
  }

  /** The body's {@code error.message}. */
  public String message() {
    return message;
  }
}
