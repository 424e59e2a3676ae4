package com.nimbusos.auth.api.audit;

import java.time.Instant;

/**
 * How a request whose decision was recorded ({@link AuditEvent}) ended: the status the client finally
 * received and how long the request took. It completes the event of the same request id; the decision
 * itself is recorded before the request is served, this part after.
 *
 * @param time when the request ended
 * @param requestId the request's id, as in its {@link AuditEvent} and {@code X-Request-Id}
 * @param status the final response status
 * @param durationMicros from the decision to the end of the request, in microseconds
 */
public record AuditCompletion(Instant time, String requestId, int status, long durationMicros) {

  /** The completion as one line of JSON, fields in a fixed order. */
  public String toJson() {
    StringBuilder json = new StringBuilder(128).append("{\"time\":");
    com.nimbusos.auth.api.internal.Json.quote(time.toString(), json);
    json.append(",\"requestId\":");
    com.nimbusos.auth.api.internal.Json.quote(requestId, json);
    return json.append(",\"completed\":true,\"status\":").append(status)
        .append(",\"durationMicros\":").append(durationMicros).append('}').toString();
  }
}
