package com.nimbusos.auth.api.engine;

import java.util.Map;

/**
 * Everything an adapter writes for a request the module answers itself: a refusal (status, headers
 * in order, and the body to serialise as JSON), or a CORS preflight's {@code 204} (no body).
 *
 * @param status the HTTP status
 * @param headers response headers: for a refusal {@code Content-Type}, {@code Cache-Control},
 *     {@code X-Request-Id} and, for 401, {@code WWW-Authenticate}
 * @param body the body, or {@code null} for a response without one
 */
public record ErrorResponse(int status, Map<String, String> headers, ErrorBody body) {

  /** Copies the headers, keeping their order. */
  public ErrorResponse {
    headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
  }
}
