package com.nimbusos.auth.api.audit;

import java.time.Instant;

/**
 * How a request whose decision was recorded ({@link AuditEvent}) ended: the status the client
 * finally received, how long the request took, and, when something after the decision refused the
 * request (a JAX-RS annotation, an exception mapper, a forward to a stricter path, a container's
 * error page), the outcome and reason it ended on. With the event of the same request id it makes
 * the request's one audit event: the decision is recorded before the request is served, this part
 * after.
 *
 * @param time when the request ended
 * @param requestId the request's id, as in its {@link AuditEvent} and {@code X-Request-Id}
 * @param outcome the outcome the request ended on, or {@code null} when it is the event's
 * @param reason the reason the request ended on, or {@code null} when it is the event's
 * @param status the final response status
 * @param durationMicros from the decision to the end of the request, in microseconds
 */
public record AuditCompletion(
    Instant time,
    String requestId,
    String outcome,
    String reason,
    int status,
    long durationMicros) {

  /** The completion as one line of JSON, fields in a fixed order, nulls left out. */
  public String toJson() {
    StringBuilder json = new StringBuilder(128).append("{\"time\":");
    com.nimbusos.auth.api.internal.Json.quote(time.toString(), json);
    json.append(",\"requestId\":");
    com.nimbusos.auth.api.internal.Json.quote(requestId, json);
    if (outcome != null) {
      json.append(",\"outcome\":");
      com.nimbusos.auth.api.internal.Json.quote(outcome, json);
    }
    if (reason != null) {
      json.append(",\"reason\":");
      com.nimbusos.auth.api.internal.Json.quote(reason, json);
    }
    return json.append(",\"completed\":true,\"status\":")
        .append(status)
        .append(",\"durationMicros\":")
        .append(durationMicros)
        .append('}')
        .toString();
  }
}
