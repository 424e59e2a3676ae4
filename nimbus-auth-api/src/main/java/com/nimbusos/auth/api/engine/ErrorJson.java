package com.nimbusos.auth.api.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes error bodies with the adapter's JSON binder (JSON-B in both adapters) without paying for
 * it on every refusal: each {@link AuthError}'s body is rendered once, at start, around a marker
 * request id, and a refusal only puts its own id in the marker's place. The output is byte for byte
 * what the binder writes.
 */
public final class ErrorJson {

  /** Stands for the request id while rendering: the shape of one, so the binder treats it alike. */
  private static final String MARKER = RequestIds.PREFIX + "0".repeat(24);

  private final Function<ErrorBody, String> binder;
  private final Map<String, Rendered> byCode = new HashMap<>();

  /** One error as the binder wrote it, split where the request id goes. */
  private record Rendered(AuthError error, String before, String after) {}

  /**
   * Renders every error once with {@code binder}.
   *
   * @throws IllegalStateException if the binder does not write the request id exactly once, as is
   */
  public ErrorJson(Function<ErrorBody, String> binder) {
    this.binder = Objects.requireNonNull(binder, "binder");
    for (AuthError error : AuthError.values()) {
      String json = binder.apply(ErrorBody.of(error, MARKER));
      int at = json.indexOf(MARKER);
      if (at < 0 || json.indexOf(MARKER, at + 1) >= 0) {
        throw new IllegalStateException(
            "the JSON binder does not write the request id as is: " + json);
      }
      byCode.put(
          error.code(),
          new Rendered(error, json.substring(0, at), json.substring(at + MARKER.length())));
    }
  }

  /** The body as JSON. */
  public String write(ErrorBody body) {
    Rendered rendered = byCode.get(body.error().code());
    String requestId = body.error().requestId();
    boolean documented =
        rendered != null
            && rendered.error().message().equals(body.error().message())
            && isRequestId(requestId);
    return documented ? rendered.before() + requestId + rendered.after() : binder.apply(body);
  }

  /**
   * Whether {@code id} is one of ours, {@code req_} and 24 hex digits: nothing in it needs
   * escaping.
   */
  private static boolean isRequestId(String id) {
    if (id == null || id.length() != MARKER.length() || !id.startsWith(RequestIds.PREFIX)) {
      return false;
    }
    for (int i = RequestIds.PREFIX.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
