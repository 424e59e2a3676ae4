package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.it.routing.app.AuditTrail;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What the oracle compares of one audit event: read in process from the {@link AuditEvent}, or from
 * a container as the {@link AuditTrail#line} the WAR's audit servlet wrote.
 *
 * @param keyId the key id, or {@code null} when the decision named no key
 */
public record Audited(
    String outcome, String reason, String method, String path, String keyId, int status) {

  public static Audited of(AuditEvent event) {
    return new Audited(
        event.outcome(),
        event.reason(),
        event.method(),
        event.path(),
        event.keyId(),
        event.status());
  }

  /** Parses one {@link AuditTrail#line}. */
  public static Audited parse(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String field : line.strip().split("&")) {
      int equals = field.indexOf('=');
      fields.put(
          field.substring(0, equals),
          URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
    }
    String keyId = fields.get("keyId");
    return new Audited(
        fields.get("outcome"),
        fields.get("reason"),
        fields.get("method"),
        fields.get("path"),
        keyId == null || keyId.isEmpty() ? null : keyId,
        Integer.parseInt(fields.get("status")));
  }
}
