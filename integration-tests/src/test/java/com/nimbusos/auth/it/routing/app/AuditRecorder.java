package com.nimbusos.auth.it.routing.app;

import com.nimbusos.auth.api.audit.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * TEST ONLY: a CDI observer of {@link AuditEvent}. Nimbus Auth fires every audit event to the
 * application's observers when it has any; this one keeps the events of the last {@value #CAPACITY}
 * requests for {@link AuditProbeServlet}.
 */
@ApplicationScoped
public class AuditRecorder {

  static final int CAPACITY = 20_000;

  private final AuditTrail trail = new AuditTrail(CAPACITY);

  void record(@Observes AuditEvent event) {
    trail.record(event);
  }

  public List<AuditEvent> of(String requestId) {
    return trail.of(requestId);
  }
}
