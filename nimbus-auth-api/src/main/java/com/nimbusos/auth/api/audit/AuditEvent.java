package com.nimbusos.auth.api.audit;

import com.nimbusos.auth.api.internal.Json;
import java.time.Instant;

/**
 * One authentication decision, for the HIPAA audit trail ("log API key usage and data access").
 * Holds no secret: the key appears only as its public id or, for keys no store knows, as a short
 * fingerprint (the first 48 bits of its SHA-256), enough to correlate attempts and useless to
 * recover the key.
 *
 * @param time when the decision was taken
 * @param requestId the request's id, as in {@code X-Request-Id}
 * @param keyId the key's public id, or {@code null} when no known key was presented
 * @param keyFingerprint fingerprint of the presented value, or {@code null} when none was presented
 * @param owner the key's owner, or {@code null}
 * @param environment the key's environment ({@code sandbox} / {@code production}), or {@code null}
 * @param outcome {@code allowed} or {@code denied}
 * @param reason why: {@code AUTHENTICATED}, {@code PUBLIC}, or a denial reason such as {@code
 *     REVOKED}
 * @param method the HTTP method
 * @param path the path, without query string
 * @param status the status Nimbus answered, or {@code 0} when the request went on to the
 *     application
 * @param clientAddress the client's address (through trusted proxies), or {@code null} when unknown
 * @param newNetwork whether this key was seen from this client network for the first time
 * @param anomaly {@code RATE_SPIKE} (the key is used far faster than its trailing-hour rate) or
 *     {@code SPRAYING} (the key is refused from many addresses), or {@code null}; see {@code
 *     nimbus.auth.anomaly.*}
 */
public record AuditEvent(
    Instant time,
    String requestId,
    String keyId,
    String keyFingerprint,
    String owner,
    String environment,
    String outcome,
    String reason,
    String method,
    String path,
    int status,
    String clientAddress,
    boolean newNetwork,
    String anomaly) {

  /** The event as one line of JSON, fields in a fixed order, nulls left out. */
  public String toJson() {
    StringBuilder json = new StringBuilder(256).append('{');
    field(json, "time", time.toString());
    field(json, "requestId", requestId);
    field(json, "keyId", keyId);
    field(json, "keyFingerprint", keyFingerprint);
    field(json, "owner", owner);
    field(json, "environment", environment);
    field(json, "outcome", outcome);
    field(json, "reason", reason);
    field(json, "method", method);
    field(json, "path", path);
    if (status != 0) {
      json.append("\"status\":").append(status).append(',');
    }
    field(json, "clientAddress", clientAddress);
    json.append("\"newNetwork\":").append(newNetwork);
    if (anomaly != null) {
      json.append(",\"anomaly\":");
      Json.quote(anomaly, json);
    }
    return json.append('}').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (value != null) {
      json.append('"').append(name).append("\":");
      Json.quote(value, json);
      json.append(',');
    }
  }
}
