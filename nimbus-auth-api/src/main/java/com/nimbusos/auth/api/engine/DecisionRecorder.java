package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.metrics.DecisionReason;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records what the engine decided: the request's audit event, its accounting (throttle, key usage,
 * anomalies) and its count in the metrics; later, a verdict that amends the decision, and how the
 * request ended. A sink that fails is logged once per outage, not at request rate. Thread-safe.
 *
 * <p>Recording can change one answer: a decision whose audit event cannot be recorded is refused
 * with {@code 503} ({@link DenialReason#AUDIT_UNAVAILABLE}) unless {@code
 * nimbus.auth.audit.fail-closed} is off, so that no request is served unaudited.
 */
final class DecisionRecorder {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /** Each denial reason as the metrics and the audit trail name it. */
  private static final Map<DenialReason, DecisionReason> DENIED = new EnumMap<>(DenialReason.class);

  static {
    for (DenialReason reason : DenialReason.values()) {
      DENIED.put(reason, DecisionReason.valueOf(reason.name()));
    }
  }

  private final AuditSink audit;
  private final MetricsRecorder metrics;
  private final UsageAccounting accounting;
  private final Clock clock;
  private final boolean auditFailClosed;

  /** Set while the audit sink fails: its failure is logged once, not at request rate. */
  private final AtomicBoolean auditFailing = new AtomicBoolean();

  private final LongAdder unrecorded = new LongAdder();
  private final AtomicBoolean completionFailing = new AtomicBoolean();
  private final LongAdder uncompleted = new LongAdder();

  /**
   * A recorder writing to {@code audit} and {@code metrics}.
   *
   * @param auditFailClosed whether a decision whose event cannot be recorded is refused
   */
  DecisionRecorder(
      AuditSink audit,
      MetricsRecorder metrics,
      UsageAccounting accounting,
      Clock clock,
      boolean auditFailClosed) {
    this.audit = audit;
    this.metrics = metrics;
    this.accounting = accounting;
    this.clock = clock;
    this.auditFailClosed = auditFailClosed;
  }

  /**
   * Records a decision: accounts for it, records its audit event and counts it.
   *
   * @return the decision, or the {@code 503} refusal that replaces it when its event cannot be
   *     recorded and the audit fails closed
   */
  Decision record(AuthRequest request, Evaluation evaluation) {
    Decision decision = evaluation.decision();
    // One reading per decision: the anomaly counters and the event share it.
    Instant now = clock.instant();
    // Computed once: the spraying watch and the event share it.
    String fingerprint = fingerprintOf(evaluation);
    UsageAccounting.Accounted accounted =
        accounting.account(evaluation, now.toEpochMilli(), fingerprint);
    Decision recorded;
    try {
      audit.record(
          event(
              request,
              evaluation,
              evaluation.caller() == null ? fingerprint : null,
              accounted,
              now));
      recorded = decision;
      if (auditFailing.get()) {
        auditRecovered();
      }
    } catch (RuntimeException e) {
      auditFailed(decision.requestId(), e);
      recorded =
          auditFailClosed
              ? new Decision.Denied(
                  decision.requestId(),
                  AuthError.SERVICE_UNAVAILABLE,
                  DenialReason.AUDIT_UNAVAILABLE)
              : decision;
    }
    metrics.decision(reasonOf(recorded));
    return recorded;
  }

  /**
   * Accounts for a decision that has no audit event of its own (a redispatch decided in full amends
   * the request's trail, recorded at completion).
   */
  void account(Evaluation evaluation) {
    accounting.account(evaluation, clock.millis(), fingerprintOf(evaluation));
  }

  /** Counts a verdict that amended a request's decision; its trail records it at completion. */
  void amended(Decision verdict) {
    metrics.decision(reasonOf(verdict));
  }

  /**
   * Records how the request ended, unless it was recorded already: the status the client received,
   * the time it took, and the verdict it ended on, if that is not the one recorded first. A sink
   * that fails here is logged, since the client already has its answer.
   */
  void complete(RequestTrail trail, int status) {
    if (!trail.markCompleted()) {
      return;
    }
    Decision last = trail.last();
    DecisionReason changed = last != trail.first() ? reasonOf(last) : null;
    AuditCompletion completion =
        new AuditCompletion(
            clock.instant(),
            trail.requestId(),
            changed == null ? null : changed.outcome().tag(),
            changed == null ? null : changed.name(),
            status,
            Math.max(0, (System.nanoTime() - trail.startedNanos()) / 1_000));
    try {
      audit.complete(completion);
      if (completionFailing.get()) {
        completionRecovered();
      }
    } catch (RuntimeException e) {
      completionFailed(trail.requestId(), e);
    }
  }

  /** Why a decision went the way it did, as the metrics and the audit trail name it. */
  static DecisionReason reasonOf(Decision decision) {
    if (decision instanceof Decision.Denied denied) {
      return DENIED.get(denied.reason());
    }
    if (decision instanceof Decision.Preflight) {
      return DecisionReason.CORS_PREFLIGHT;
    }
    return decision instanceof Decision.Authenticated
        ? DecisionReason.AUTHENTICATED
        : DecisionReason.PUBLIC;
  }

  private static AuditEvent event(
      AuthRequest request,
      Evaluation evaluation,
      String fingerprint,
      UsageAccounting.Accounted accounted,
      Instant now) {
    Decision decision = evaluation.decision();
    ApiKeyPrincipal principal = evaluation.caller();
    DecisionReason reason = reasonOf(decision);
    int status =
        decision instanceof Decision.Denied denied
            ? denied.error().status()
            : decision instanceof Decision.Preflight ? 204 : 0;
    return new AuditEvent(
        now,
        decision.requestId(),
        principal == null ? null : principal.keyId(),
        fingerprint,
        principal == null ? null : principal.owner(),
        principal == null ? null : principal.environment().configName(),
        reason.outcome().tag(),
        reason.name(),
        request.clientMethod(),
        request.path(),
        status,
        evaluation.client().address(),
        accounted.newNetwork(),
        accounted.anomaly());
  }

  /**
   * The fingerprint of a well-formed key that did not authenticate the request, else {@code null}.
   */
  private static String fingerprintOf(Evaluation evaluation) {
    return evaluation.key() != null && !(evaluation.decision() instanceof Decision.Authenticated)
        ? fingerprint(evaluation.key())
        : null;
  }

  /**
   * The first 48 bits of the value's SHA-256: enough to correlate attempts, useless to recover a
   * key.
   */
  private static String fingerprint(PresentedKey presentedKey) {
    return HexFormat.of().formatHex(presentedKey.sha256(), 0, 6);
  }

  /**
   * Logs the first failure of an outage, with its cause: a full disk or a database that is down
   * must not write one line per request into the log it may share.
   */
  private void auditFailed(String requestId, RuntimeException e) {
    unrecorded.increment();
    if (auditFailing.compareAndSet(false, true)) {
      LOG.log(
          Level.ERROR,
          "Nimbus Auth could not record the audit event of request "
              + requestId
              + (auditFailClosed
                  ? "; it and every request after it are refused with 503 until the audit trail records again"
                  : "; it and every request after it are let through unaudited, as configured, until the audit trail"
                      + " records again")
              + " (logged once)",
          e);
    }
  }

  private void auditRecovered() {
    if (auditFailing.compareAndSet(true, false)) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail records again; "
              + unrecorded.sumThenReset()
              + " request(s)"
              + (auditFailClosed ? " were refused with 503" : " went unaudited")
              + " meanwhile");
    }
  }

  /**
   * The response has left: the request cannot be refused any more, so a completion that cannot be
   * recorded is counted and logged once per outage (with its cause), not once per request.
   */
  private void completionFailed(String requestId, RuntimeException e) {
    uncompleted.increment();
    if (completionFailing.compareAndSet(false, true)) {
      LOG.log(
          Level.ERROR,
          "Nimbus Auth could not record the completion (final status) of request "
              + requestId
              + "; completions are not recorded until the audit trail records again (logged once)",
          e);
    }
  }

  private void completionRecovered() {
    if (completionFailing.compareAndSet(true, false)) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail records completions again; "
              + uncompleted.sumThenReset()
              + " request(s) ended meanwhile without their final status in the trail");
    }
  }
}
