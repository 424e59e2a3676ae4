package com.nimbusos.auth.api.audit;

/**
 * Receives one {@link AuditEvent} per authentication decision. Called on the request's thread before the
 * request goes on, so that no request is served unaudited: keep it fast (hand events to a queue you drain
 * yourself if your destination is slow). Thread-safe.
 *
 * <p>A sink that throws fails the request closed with {@code 503} unless {@code nimbus.auth.audit.fail-closed}
 * is {@code false}; either way the failure is logged.
 *
 * <p>Found like validators: the class named by {@code nimbus.auth.audit.sink}, else one {@link
 * java.util.ServiceLoader} provider, else {@link LoggingAuditSink}.
 */
@FunctionalInterface
public interface AuditSink {

  /** Records one decision. */
  void record(AuditEvent event);
}
