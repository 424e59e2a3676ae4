package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.LoggingAuditSink;
import java.util.Objects;

/**
 * An audit sink that counts each event in a {@link KeyUsageHistory}, for the key management API's
 * usage endpoint, then hands it on. Name it in {@code nimbus.auth.audit.sink} ({@code
 * com.nimbusos.auth.jaxrs.keys.UsageAuditSink}) to keep the default JSON log lines and count into
 * {@link KeyUsageHistory#shared()}; wrap a sink of your own with {@link #UsageAuditSink(AuditSink,
 * KeyUsageHistory)}. Counting never fails a request: a recording that throws is the delegate's.
 */
public final class UsageAuditSink implements AuditSink {

  private final AuditSink delegate;
  private final KeyUsageHistory history;

  /** The default log sink, counting into the application's shared history. */
  public UsageAuditSink() {
    this(new LoggingAuditSink(), KeyUsageHistory.shared());
  }

  /**
   * A sink counting into {@code history} and recording to {@code delegate}.
   *
   * @param delegate where events go on to
   * @param history where they are counted
   */
  public UsageAuditSink(AuditSink delegate, KeyUsageHistory history) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.history = Objects.requireNonNull(history, "history");
  }

  @Override
  public void record(AuditEvent event) {
    delegate.record(event);
    history.record(event);
  }

  @Override
  public void complete(AuditCompletion completion) {
    delegate.complete(completion);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "UsageAuditSink[" + delegate.getClass().getName() + "]";
  }
}
