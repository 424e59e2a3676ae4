package com.nimbusos.auth.api.engine;

/**
 * The documented error body, {@code {"error":{"code":…,"message":…,"requestId":…}}}, as records that JSON-B
 * (and any record-aware JSON binder) serialises to exactly that shape.
 *
 * @param error the error
 */
public record ErrorBody(Detail error) {

  /** The body for {@code error} in the request {@code requestId}. */
  public static ErrorBody of(AuthError error, String requestId) {
    return new ErrorBody(new Detail(error.code(), error.message(), requestId));
  }

  /**
   * The documented JSON, {@code {"error":{"code":…,"message":…,"requestId":…}}}: what JSON-B writes for
   * these records (properties in that order, no spaces), written directly, as every refused request needs
   * it and a JSON binder costs about a microsecond a call.
   */
  public String toJson() {
    StringBuilder json = new StringBuilder(128).append("{\"error\":{\"code\":");
    quote(json, error.code());
    json.append(",\"message\":");
    quote(json, error.message());
    json.append(",\"requestId\":");
    quote(json, error.requestId());
    return json.append("}}").toString();
  }

  private static void quote(StringBuilder json, String value) {
    if (value == null) {
      json.append("null");
      return;
    }
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
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
