package com.nimbusos.auth.api.keys;

/**
 * Decides when a validator's caches stop being true: when the store tells of a change ({@link
 * #changed()}), when a {@link #sync()} finds that its revision moved, and when no sync has
 * succeeded for the longest staleness allowed ({@link #isStale()}), after which every request syncs
 * first and so fails closed while the store is down. Thread-safe: syncs run one at a time, and a
 * change told while one runs makes the next request sync again.
 */
final class RevisionWatch {

  /** What a sync that found a new revision reads again, besides dropping the caches. */
  @FunctionalInterface
  interface Reload {
    void run() throws KeyStoreException;
  }

  private final KeyStore store;
  private final long maxStalenessNanos;
  private final CacheGeneration generation;
  private final Runnable dropCaches;
  private final Reload reload;

  /** Read and written under this object's lock only. */
  private long knownRevision = Long.MIN_VALUE;

  /**
   * Whether the caches reflect {@link #knownRevision}: false until the first sync, and after a
   * change is told.
   */
  private volatile boolean synced;

  /** When the last successful sync began, on nanoTime's scale. */
  private volatile long lastSyncNanos;

  /**
   * When the caches were last dropped for a change (told by the store, or found by a sync), on
   * nanoTime's scale: the revocation trials read it to tell how much of a delay was the push or
   * poll, and how much a request already past its cache lookup.
   */
  private volatile long droppedNanos;

  /**
   * A watch that has not synced yet: stale until its first sync.
   *
   * @param dropCaches empties every cache of verdicts; run after {@code generation} advanced
   * @param reload reads what a revision decides beyond each key's record (disabled owners, the
   *     index); run after the caches were dropped
   */
  RevisionWatch(
      KeyStore store,
      long maxStalenessNanos,
      CacheGeneration generation,
      Runnable dropCaches,
      Reload reload) {
    this.store = store;
    this.maxStalenessNanos = maxStalenessNanos;
    this.generation = generation;
    this.dropCaches = dropCaches;
    this.reload = reload;
  }

  /** Whether the caches may not be trusted without a sync first. */
  boolean isStale() {
    return !synced || System.nanoTime() - lastSyncNanos > maxStalenessNanos;
  }

  /** The store told of a change: drops the caches at once; the next request syncs. */
  void changed() {
    generation.advance();
    dropCaches.run();
    synced = false;
    droppedNanos = System.nanoTime();
  }

  /** Reads the store's revision; when it moved, drops the caches and reloads. */
  synchronized void sync() throws KeyStoreException {
    long startedNanos = System.nanoTime();
    long startedGeneration = generation.current();
    boolean trusted = synced; // if not, the caches were dropped already, when the change was told
    long revision = store.revision();
    if (revision != knownRevision || !synced) {
      startedGeneration = generation.advance();
      dropCaches.run();
      if (trusted) {
        droppedNanos = System.nanoTime();
      }
      reload.run();
      knownRevision = revision;
    }
    lastSyncNanos = startedNanos;
    // A change told while this ran may postdate what it read: then the next request syncs again.
    synced = !generation.movedSince(startedGeneration);
  }

  /** When the caches were last dropped for a change, on {@link System#nanoTime()}'s scale. */
  long droppedNanos() {
    return droppedNanos;
  }

  /**
   * Whether nothing the caches hold is older than the store's state at {@code nanos}: there is
   * nothing to trust (the next request syncs), or the last sync began after that instant.
   */
  boolean freshSince(long nanos) {
    return !synced || lastSyncNanos - nanos >= 0;
  }

  @Override
  public String toString() {
    return "RevisionWatch[" + store + "]";
  }
}
