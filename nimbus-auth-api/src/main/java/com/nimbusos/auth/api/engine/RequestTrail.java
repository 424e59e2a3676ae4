package com.nimbusos.auth.api.engine;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.IntSupplier;

/**
 * The audit trail of one request, kept in its attributes by the adapter that decided it: the
 * decision, recorded before the request was served; the verdict it ended with, when something later
 * refused it (a JAX-RS annotation, an exception mapper, a forward to a stricter path, a container's
 * error page); and whether its completion was recorded. One request, one trail: every adapter that
 * sees the request later amends this one, so the audit holds one event per request however many
 * adapters took part. Thread-safe.
 */
public final class RequestTrail {

  private final AuthenticationEngine engine;
  private final Decision first;
  private final long startedNanos;
  private final IntSupplier status;
  private volatile Decision last;

  /**
   * 1 once the completion was recorded; a field, not an {@code AtomicBoolean}: one object less per
   * request.
   */
  private volatile int completed;

  private static final AtomicIntegerFieldUpdater<RequestTrail> COMPLETED =
      AtomicIntegerFieldUpdater.newUpdater(RequestTrail.class, "completed");

  RequestTrail(AuthenticationEngine engine, Decision first, long startedNanos, IntSupplier status) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.first = Objects.requireNonNull(first, "first");
    this.last = first;
    this.startedNanos = startedNanos;
    this.status = status;
  }

  /** The request's id. */
  public String requestId() {
    return first.requestId();
  }

  /** The decision recorded before the request was served. */
  public Decision first() {
    return first;
  }

  /** The verdict the request stands on now: the first decision, or a later refusal of it. */
  public Decision last() {
    return last;
  }

  /**
   * The response's status as it is now, where the adapter that created the trail could tell
   * (servlet adapters); {@code 0} where it could not.
   */
  public int currentStatus() {
    return status == null ? 0 : status.getAsInt();
  }

  long startedNanos() {
    return startedNanos;
  }

  void amend(Decision decision) {
    last = decision;
  }

  /** Whether this call is the one that completes the trail: true exactly once. */
  boolean markCompleted() {
    return COMPLETED.compareAndSet(this, 0, 1);
  }

  /**
   * Records the request's completion with {@code status} through the engine that started the trail,
   * unless it was recorded already (see {@link AuthenticationEngine#complete}).
   */
  public void complete(int status) {
    engine.complete(this, status);
  }

  /** Whether the completion was recorded already. */
  public boolean isCompleted() {
    return completed == 1;
  }
}
