package com.nimbusos.auth.api.engine;

import java.util.Map;

/**
 * Everything an adapter writes for a refused request: the status, the headers in order, and the body to
 * serialise as JSON.
 *
 * @param status the HTTP status
 * @param headers response headers, including {@code Content-Type}, {@code Cache-Control}, {@code
 *     X-Request-Id} and, for 401, {@code WWW-Authenticate}
 * @param body the body
 */
public record ErrorResponse(int status, Map<String, String> headers, ErrorBody body) {

  /** Copies the headers, keeping their order. */
  public ErrorResponse {
    headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
  }
}
