package com.nimbusos.auth.api.audit;

/**
 * Receives one {@link AuditEvent} per authentication decision. Called on the request's thread
 * before the request goes on, so that no request is served unaudited: keep it fast (hand events to
 * a queue you drain yourself if your destination is slow). Thread-safe.
 *
 * <p>A sink that throws fails the request closed with {@code 503} unless {@code
 * nimbus.auth.audit.fail-closed} is {@code false}; either way the failure is logged.
 *
 * <p>Found by {@link AuditSinks}: the built-in sink or class named by {@code
 * nimbus.auth.audit.sink}, else the one CDI bean, else one {@link java.util.ServiceLoader}
 * provider, else {@link LoggingAuditSink}.
 */
@FunctionalInterface
public interface AuditSink extends AutoCloseable {

  /** Records one decision. */
  void record(AuditEvent event);

  /**
   * Records how a request whose decision was {@linkplain #record recorded} ended. Called after the
   * response, where the adapter can tell; a failure here is logged and changes nothing for the
   * client, who has its answer already. The default records nothing.
   */
  default void complete(AuditCompletion completion) {}

  /**
   * Releases what the sink holds (files, threads) when the application stops; the default holds
   * nothing.
   */
  @Override
  default void close() {}
}
