package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.audit.LoggingAuditSink;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit sink of the JAX-RS feature that relies on a servlet filter: the sink the application's
 * servlet adapter published ({@link AuditSinks#published}), looked up at each event. The filter
 * opened its trail with settings the feature cannot see (init-params); opening the trail here with
 * the defaults would record into another trail, or refuse the filter's own settings, and so the
 * filter. Only where no servlet adapter of the application has started (its mapping misses the
 * request, or it starts lazily and has not yet) do the feature's refusals go to the log, said once.
 */
final class ServletAdapterAuditSink implements AuditSink {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final ClassLoader loader;
  private final LoggingAuditSink log = new LoggingAuditSink();
  private final AtomicBoolean warned = new AtomicBoolean();

  ServletAdapterAuditSink(ClassLoader loader) {
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

  private AuditSink sink() {
    return AuditSinks.published(loader)
        .orElseGet(
            () -> {
              if (warned.compareAndSet(false, true)) {
                LOG.log(
                    Level.WARNING,
                    "Nimbus Auth JAX-RS feature decided a request no servlet filter saw, before any servlet"
                        + " adapter of the application started: it records such requests in the log (logger "
                        + LoggingAuditSink.LOGGER
                        + "), not in the application's trail; map the filter to every JAX-RS path");
              }
              return log;
            });
  }

  @Override
  public String toString() {
    return "the servlet adapter's audit sink";
  }
}
