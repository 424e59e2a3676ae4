package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.audit.LoggingAuditSink;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.lang.System.Logger.Level;

/**
 * The audit sink of the JAX-RS feature that relies on a servlet filter: opened at its first event, not at
 * deployment. The filter opens the application's trail with the settings it was given (context-params the
 * feature may not see); opened first here, with the defaults, the trail would refuse the filter's own
 * settings and so the filter. By the first request the feature must decide itself, the filter has opened
 * the trail, and this sink joins it. Where its settings differ, the feature's few refusals go to the log,
 * and it says so.
 */
final class FirstUseAuditSink implements AuditSink {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final NimbusAuthConfig config;
  private final ClassLoader loader;
  private AuditSinks.Resolved opened;
  private boolean closed;

  FirstUseAuditSink(NimbusAuthConfig config, ClassLoader loader) {
    this.config = config;
    this.loader = loader;
  }

  @Override
  public void record(AuditEvent event) {
    sink().record(event);
  }

  @Override
  public void complete(AuditCompletion completion) {
    sink().complete(completion);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (opened != null) {
      opened.closeIfOwned();
      opened = null;
    }
  }

  private synchronized AuditSink sink() {
    if (closed) {
      throw new IllegalStateException("the application has stopped");
    }
    if (opened == null) {
      try {
        opened = AuditSinks.open(null, config, loader, ReleaseOnUndeploy.contextPath(loader));
      } catch (ConfigurationException e) {
        LOG.log(Level.WARNING, "Nimbus Auth JAX-RS feature cannot join the application's audit trail (" + e.getMessage()
            + "); it records the requests the servlet filter did not decide in the log instead");
        opened = new AuditSinks.Resolved(new LoggingAuditSink(), "the log", true);
      }
    }
    return opened.sink();
  }

  @Override
  public String toString() {
    return "FirstUseAuditSink[" + (opened == null ? "not opened" : opened.source()) + "]";
  }
}
