package com.nimbusos.auth.api.audit.trail;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A reentrant lock for critical sections of a few dozen nanoseconds, such as reserving a line's
 * place: a waiter spins, then yields, and never parks. Parking and waking a thread costs
 * microseconds, far more than the section itself, and is what a {@code ReentrantLock} does as soon
 * as two request threads meet. Not for long sections (the rare file creation under it only makes
 * waiters yield meanwhile).
 */
final class SpinLock {

  private static final int SPINS = 128;

  private final AtomicReference<Thread> owner = new AtomicReference<>();

  /** How many times the owner holds it; the owner's own. */
  private int holds;

  // Thread.yield() below is for progress only (the holder may be off-core when threads outnumber
  // cores),
  // never for correctness, which the compare-and-set gives: ThreadPriorityCheck does not apply.
  @SuppressWarnings("ThreadPriorityCheck")
  void lock() {
    Thread me = Thread.currentThread();
    if (owner.get() == me) {
      holds++;
      return;
    }
    int spins = 0;
    while (owner.get() != null || !owner.compareAndSet(null, me)) {
      if (++spins < SPINS) {
        Thread.onSpinWait();
      } else {
        spins = 0;
        Thread.yield(); // the holder may not be running: give it the core
      }
    }
    holds = 1;
  }

  void unlock() {
    if (owner.get() != Thread.currentThread()) {
      throw new IllegalMonitorStateException("not the owner");
    }
    if (--holds == 0) {
      owner.set(null);
    }
  }
}
