package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import java.util.concurrent.atomic.LongAdder;

/**
 * The audit sink of the benchmarks: counts events, so the cost measured is the engine's and not a
 * log file's (the default logging sink is measured separately). Named by class in {@code
 * nimbus.auth.audit.sink}, hence public with a no-argument constructor and static counters.
 */
public final class CountingAuditSink implements AuditSink {

  private static final LongAdder EVENTS = new LongAdder();
  private static final LongAdder DENIED = new LongAdder();

  @Override
  public void record(AuditEvent event) {
    EVENTS.increment();
    if (event.status() != 0) {
      DENIED.increment();
    }
  }

  /** Events recorded in this JVM. */
  public static long events() {
    return EVENTS.sum();
  }

  /** Events of refused requests recorded in this JVM. */
  public static long denied() {
    return DENIED.sum();
  }
}
