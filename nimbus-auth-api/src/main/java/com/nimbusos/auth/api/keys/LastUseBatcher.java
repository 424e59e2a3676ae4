package com.nimbusos.auth.api.keys;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records when keys were last used, in batches, never with a write per request: the uses noted
 * between two writes are coalesced (the latest per key) and written every flush interval on a
 * thread of its own ({@value #THREAD}), so that a batch of thousands of keys (the JSON store
 * rewrites its file) delays no poll. A write that fails keeps its uses for the next, and the outage
 * is logged when it begins and when it ends. {@link #close()} writes what is left. Thread-safe.
 */
final class LastUseBatcher implements AutoCloseable {

  static final String THREAD = "nimbus-auth-key-uses";

  /**
   * The fewest uses waiting for a write at which one is started at once rather than at the next
   * interval: with a million keys in use, ten seconds of first uses held about 90 MB (a map entry
   * and the id of each, including keys the validator's cache had already let go). The validator
   * raises it to the size of its cache: below that, each key in use is noted once per interval, and
   * writing earlier would note every key again after each write (a map entry per request, measured
   * at 2x the validation time with 100,000 keys in use and this bound).
   */
  static final int EARLY_WRITE_KEYS = 65_536;

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final KeyStore store;
  private final Clock clock;
  private final int earlyWriteKeys;
  private final ScheduledExecutorService thread;

  /**
   * The uses noted since the last write, in the order noted: key ids and instants in two arrays
   * under {@link #notedLock}, 8 bytes a use where a concurrent map spent about 50 (with 262,144
   * keys cached, up to 13 MB). A key is noted once per batch ({@link KnownKey#notedInBatch}); it
   * can appear twice only when the cache let it go and read it again, and the write keeps its
   * latest use. The lock is taken once per key and batch, never on a request of a key already
   * noted.
   */
  private final Object notedLock = new Object();

  private String[] notedIds = new String[64];
  private Instant[] notedWhens = new Instant[64];
  private int noted;

  /**
   * The uses of a write that failed, written with the next batch. Guarded by {@link #flushLock}.
   */
  private final Map<String, Instant> unwritten = new HashMap<>();

  /** {@link #unwritten}{@code .size()}, readable without the flush lock. */
  private volatile int unwrittenCount;

  /**
   * Held by each write: the background thread and {@link #close()} may both flush (shutdownNow does
   * not wait for a running flush), and {@link #batch}{@code ++} must not lose an increment between
   * them. Not the validator's lock: a slow store write must not hold up a request's sync.
   */
  private final Object flushLock = new Object();

  private final Outage outage = new Outage();

  /** Whether an early write is queued on the thread and not yet started. */
  private final AtomicBoolean earlyWriteQueued = new AtomicBoolean();

  /**
   * Whether the last write failed: during an outage uses pile up until the interval's retry, since
   * an early write per new key would only hammer a store that is down.
   */
  private volatile boolean failing;

  /** Counts the writes; {@link #noteUse} notes each key once per batch. */
  private volatile int batch;

  /**
   * The instant uses are noted with when the request did not need the time: read from the clock at
   * start and at every {@link #tick()} (every poll), so within a poll interval of the truth (last
   * use is approximate by design).
   */
  private volatile Instant coarseNow;

  /**
   * One flush interval before {@link #coarseNow}, in epoch nanoseconds ({@link Long#MAX_VALUE} if
   * that does not fit): a use the store already holds from then on makes noting the key again
   * unnecessary ({@link #alreadyRecorded}).
   */
  private volatile long recordedSinceNanos;

  private final long flushIntervalNanos;

  /**
   * Starts writing every {@code flushInterval}, the first one interval from now, and at once when
   * {@link #EARLY_WRITE_KEYS} keys wait.
   */
  LastUseBatcher(KeyStore store, Clock clock, Duration flushInterval) {
    this(store, clock, flushInterval, EARLY_WRITE_KEYS);
  }

  /**
   * Starts writing every {@code flushInterval}, and at once whenever {@code earlyWriteKeys} keys
   * (at least {@link #EARLY_WRITE_KEYS}) wait.
   */
  // The scheduled future is not kept: flush() catches and logs what it can fail with, and close()
  // stops it with the executor, so a future would have nothing to report and nothing to cancel.
  @SuppressWarnings("FutureReturnValueIgnored")
  LastUseBatcher(KeyStore store, Clock clock, Duration flushInterval, int earlyWriteKeys) {
    this.earlyWriteKeys = Math.max(EARLY_WRITE_KEYS, earlyWriteKeys);
    this.store = store;
    this.clock = clock;
    this.flushIntervalNanos = flushInterval.toNanos();
    tick();
    this.thread = Daemons.singleThread(THREAD);
    long millis = flushInterval.toMillis();
    thread.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Notes a use of {@code key} at the time of the last {@link #tick()}. */
  void noteUse(KnownKey key) {
    noteUse(key, coarseNow);
  }

  /**
   * Notes a use of {@code key} at {@code when}, once per batch: the first use of the key since the
   * last write, so last use is exact to the flush interval. Later uses of the key in the same batch
   * touch nothing but the cache entry the request already read: with a million keys in use, one map
   * access per request more would be a cache miss or two each.
   */
  void noteUse(KnownKey key, Instant when) {
    int current = batch;
    if (key.notedInBatch != current) {
      key.notedInBatch = current;
      int waiting;
      synchronized (notedLock) {
        if (noted == notedIds.length) {
          notedIds = Arrays.copyOf(notedIds, noted * 2);
          notedWhens = Arrays.copyOf(notedWhens, noted * 2);
        }
        notedIds[noted] = key.keyId();
        notedWhens[noted] = when;
        waiting = ++noted;
      }
      if (waiting >= earlyWriteKeys && !failing) {
        writeEarly();
      }
    }
  }

  /**
   * Records a use of {@code key}, whose hash is {@code hash}, in {@code store} at once, at {@code
   * when} (the time of the last {@link #tick()} if null), and counts it as noted in the current
   * batch; notes it as usual if the store cannot take it so. For a key read from an in-memory store
   * that the validator does not cache: such a key is a new object at every read, so a noted use was
   * queued again at every read until the batch's write landed, and what waited lived long enough to
   * be copied by young collections. Once recorded, the next read finds the use ({@link
   * #alreadyRecorded}) and nothing waits.
   */
  void recordNow(InMemoryKeyStore store, KnownKey key, byte[] hash, Instant when) {
    Instant at = when == null ? coarseNow : when;
    if (store.recordUseByHash(hash, CompactKeyIndex.epochNanos(at))) {
      key.notedInBatch = batch;
    } else {
      noteUse(key, at);
    }
  }

  private void writeEarly() {
    if (earlyWriteQueued.compareAndSet(false, true)) {
      try {
        thread.execute(
            () -> {
              earlyWriteQueued.set(false);
              flush();
            });
      } catch (RejectedExecutionException e) {
        earlyWriteQueued.set(false); // closed: close() writes what is left
      }
    }
  }

  /** Reads the clock that {@link #noteUse(KnownKey)} stamps uses with. */
  void tick() {
    Instant now = clock.instant();
    coarseNow = now;
    long nanos = CompactKeyIndex.epochNanos(now);
    recordedSinceNanos =
        nanos == CompactKeyIndex.NO_NANOS ? Long.MAX_VALUE : nanos - flushIntervalNanos;
  }

  /**
   * Since when, in epoch nanoseconds, a use the store holds counts as recent enough: a key read
   * from the store with a use recorded since then is {@link #alreadyRecorded}.
   */
  long recordedSinceNanos() {
    return recordedSinceNanos;
  }

  /**
   * Counts {@code key} as noted in the current batch: the store holds a use of it within one flush
   * interval, so last use stays exact to the flush interval without noting it again. A key the
   * validator's cache let go and read back would otherwise be noted, and written, once per read:
   * with a million keys in use and 262,144 cached, a write of every key about every second.
   */
  void alreadyRecorded(KnownKey key) {
    key.notedInBatch = batch;
  }

  /** Writes the uses noted so far, in one batch; keeps them if the store fails. */
  void flush() {
    synchronized (flushLock) {
      batch++; // from now on, uses are noted for the next batch (one noted just before is drained
      // now)
      String[] ids;
      Instant[] whens;
      int count;
      synchronized (notedLock) {
        ids = notedIds;
        whens = notedWhens;
        count = noted;
        notedIds = new String[64];
        notedWhens = new Instant[64];
        noted = 0;
      }
      if (count == 0 && unwritten.isEmpty()) {
        return;
      }
      Map<String, Instant> written = new HashMap<>(unwritten);
      for (int n = 0; n < count; n++) {
        written.merge(ids[n], whens[n], LastUseBatcher::later);
      }
      unwritten.clear();
      unwrittenCount = 0;
      try {
        store.recordLastUsed(written);
      } catch (KeyStoreException | RuntimeException e) {
        unwritten.putAll(written); // uses noted meanwhile are in the next batch: none is lost
        unwrittenCount = unwritten.size();
        failing = true;
        if (outage.failed()) {
          LOG.log(
              Level.WARNING,
              "Nimbus Auth cannot record last use of "
                  + written.size()
                  + " keys in "
                  + store
                  + " ("
                  + e.getMessage()
                  + "); they are kept and written once it can. Logged once per outage");
        }
        return;
      }
      failing = false;
      String lasted = outage.recovered();
      if (lasted != null) {
        LOG.log(
            Level.INFO,
            "Nimbus Auth records last use in " + store + " again, after an outage of " + lasted);
      }
    }
  }

  /**
   * The uses waiting for a write: those of a failed write, and those noted since (a key noted again
   * after it counts twice, written once).
   */
  int pending() {
    synchronized (notedLock) {
      return unwrittenCount + noted;
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Stops the background thread, then writes what is left. */
  @Override
  public void close() {
    thread.shutdownNow();
    flush();
  }

  @Override
  public String toString() {
    return "LastUseBatcher[" + store + ", " + pending() + " pending]";
  }
}
