package com.nimbusos.auth.api.engine;

/**
 * The documented error body, {@code {"error":{"code":…,"message":…,"requestId":…}}}, as records
 * that JSON-B (and any record-aware JSON binder) serialises to exactly that shape.
 *
 * @param error the error
 */
public record ErrorBody(Detail error) {

  /** The body for {@code error} in the request {@code requestId}. */
  public static ErrorBody of(AuthError error, String requestId) {
    return new ErrorBody(new Detail(error.code(), error.message(), requestId));
  }

  /**
   * The content of {@code error}.
   *
   * @param code machine-readable, e.g. {@code unauthorized}
   * @param message human-readable, e.g. {@code Invalid or missing API key}
   * @param requestId the request's id, also in {@code X-Request-Id}
   */
  public record Detail(String code, String message, String requestId) {}
}
