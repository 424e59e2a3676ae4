package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.it.routing.app.AuditTrail;

/**
 * The in-process stacks' audit sink ({@code nimbus.auth.audit.sink}): every engine of the JVM
 * records into one {@link #TRAIL}, which the oracle reads by request id.
 */
public final class MemoryAuditSink implements AuditSink {

  static final AuditTrail TRAIL = new AuditTrail(10_000);

  @Override
  public void record(AuditEvent event) {
    TRAIL.record(event);
  }
}
