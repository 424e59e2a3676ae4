package com.nimbusos.auth.it.routing.app;

import com.nimbusos.auth.api.audit.AuditEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST ONLY: the audit events of the most recent requests, by request id. Bounded: past {@code
 * capacity} request ids the oldest are forgotten. Thread-safe.
 */
public final class AuditTrail {

  private final Map<String, List<AuditEvent>> byRequestId;

  public AuditTrail(int capacity) {
    this.byRequestId =
        new LinkedHashMap<>(64, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, List<AuditEvent>> eldest) {
            return size() > capacity;
          }
        };
  }

  public synchronized void record(AuditEvent event) {
    byRequestId.computeIfAbsent(event.requestId(), id -> new ArrayList<>()).add(event);
  }

  /** The events of one request, in the order they were recorded; empty if none (or forgotten). */
  public synchronized List<AuditEvent> of(String requestId) {
    return List.copyOf(byRequestId.getOrDefault(requestId, List.of()));
  }

  public synchronized void clear() {
    byRequestId.clear();
  }

  /**
   * One event as one text line of form-encoded fields the routing oracle compares: {@code
   * outcome=allowed&reason=AUTHENTICATED&method=GET&path=%2Fprobe&keyId=k_read&status=0} ({@code
   * keyId} empty for none). Paths may hold any character once decoded; the encoding keeps each
   * event on its line.
   */
  public static String line(AuditEvent event) {
    return "outcome="
        + encode(event.outcome())
        + "&reason="
        + encode(event.reason())
        + "&method="
        + encode(event.method())
        + "&path="
        + encode(event.path())
        + "&keyId="
        + encode(event.keyId())
        + "&status="
        + event.status();
  }

  private static String encode(String value) {
    return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
