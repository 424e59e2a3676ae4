package com.nimbusos.auth.api.audit;

import java.lang.System.Logger.Level;

/**
 * The {@code logging} sink: one JSON line per decision, at INFO, to the logger {@value #LOGGER}
 * (java.util.logging through {@code System.Logger}, which WildFly and Payara route to their own
 * logging). Point that logger at a dedicated, append-only handler to keep the audit trail apart.
 */
public final class LoggingAuditSink implements AuditSink {

  /** The logger audit lines go to. */
  public static final String LOGGER = "com.nimbusos.auth.audit";

  private static final System.Logger LOG = System.getLogger(LOGGER);

  @Override
  public void record(AuditEvent event) {
    LOG.log(Level.INFO, event.toJson());
  }
}
