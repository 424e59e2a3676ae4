package com.nimbusos.auth.api.keys;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the times a validator's caches were dropped for a change of the store. A lookup reads it
 * before it asks the store and checks it after it cached the answer: if it moved meanwhile, the
 * answer may predate the change (a key revoked while the query ran), and is taken back out.
 * Thread-safe.
 */
final class CacheGeneration {

  private final AtomicLong count = new AtomicLong();

  /** The generation now: read it before asking the store. */
  long current() {
    return count.get();
  }

  /**
   * Starts a new generation: call it before dropping the caches.
   *
   * @return the new generation
   */
  long advance() {
    return count.incrementAndGet();
  }

  /** Whether the caches were dropped since {@code seen} was {@link #current()}. */
  boolean movedSince(long seen) {
    return count.get() != seen;
  }
}
