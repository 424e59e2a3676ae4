package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validates keys against a {@link KeyStore} through a cache, so that a known key costs no store
 * round trip, yet never serves a stale verdict for long:
 *
 * <ul>
 *   <li>the key's format, checksum and environment are checked first: malformed keys and keys of
 *       the other environment never reach the store;
 *   <li>changes made through this JVM empty the cache at once (a revoked key fails on the very next
 *       request); so do changes made elsewhere that the store pushes (the JSON file store watches
 *       its file, the JDBC store on PostgreSQL listens for notifications): within milliseconds; and
 *       whatever the store cannot push is seen by polling {@link KeyStore#revision()} every {@code
 *       pollInterval}, which also stands in for a push that was lost;
 *   <li>polls start every {@code pollInterval} on the clock, however long the one before took, on a
 *       thread of their own (last uses are written on another), so that a change the store could
 *       not push is applied within one interval plus the poll that reads it;
 *   <li>if the store cannot be polled for {@code maxStaleness}, the cache is no longer trusted and
 *       requests go to the store, which fails closed ({@code 503}) while it is down; the outage is
 *       logged when it begins (a warning, with its cause) and when it ends (with how long it
 *       lasted), never at every poll;
 *   <li>unknown keys are remembered in a bounded negative cache, so a flood of made-up keys does
 *       not cost one query each; with {@link Builder#indexAllKeys(boolean)}, the hash of every key
 *       is held in memory and reloaded whenever the revision moves, so that no unknown key, even a
 *       new one each time, costs a query at all;
 *   <li>last use is recorded in batches, never with a write per request.
 * </ul>
 *
 * Close it to stop its background threads and write the last uses.
 */
public final class StoreKeyValidator implements KeyValidator, AutoCloseable {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final KeyStore store;
  private final KeyHasher hasher;
  private final Environment environment;
  private final Clock clock;
  private final long maxStalenessNanos;
  private final int negativeCacheSize;
  private final boolean indexAllKeys;
  private final long pollNanos;

  /** Runs the polls, and nothing else: a poll waits behind no write. */
  private final ScheduledExecutorService poller;

  /**
   * Writes last uses: a batch of thousands of keys (the JSON store rewrites its file) delays no
   * poll.
   */
  private final ScheduledExecutorService usesWriter;

  /** When the next poll is due, on nanoTime's scale; read and written by the poll thread only. */
  private long nextPollNanos;

  private final Outage pollOutage = new Outage();
  private final Outage usesOutage = new Outage();

  /**
   * Known keys, at most {@link Builder#cacheSize(int)}: a node whose keys are all in use holds no
   * more.
   */
  private final BoundedKeyCache<Known> known;

  private final Set<HashKey> unknown = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> pendingUses = new ConcurrentHashMap<>();
  private final Object flushLock = new Object();
  private final AtomicLong generation = new AtomicLong();
  private volatile Set<String> disabledOwners = Set.of();

  /**
   * Every key as of {@link #knownRevision}, when indexing, in a {@link CompactKeyIndex} (about 80
   * bytes a key, no object per key); {@code null} otherwise.
   */
  private volatile CompactKeyIndex index;

  private volatile long knownRevision = Long.MIN_VALUE;

  /**
   * When the caches were last dropped for a change (told by the store, or found by a poll), on
   * nanoTime's scale: the revocation trials read it to tell how much of a delay was the push or
   * poll, and how much a request already past its cache lookup.
   */
  private volatile long droppedNanos;

  private volatile boolean synced;
  private volatile long lastSyncNanos;

  /**
   * The instant last uses are noted with: read from the clock at start and at every poll, so within
   * a poll interval of the truth (last use is approximate by design). A request of a key that is
   * neither revoked nor set to expire then needs no clock reading of its own.
   */
  private volatile Instant useTime;

  /** Counts the batch writes of last uses; {@link #recordUse} notes each key once per batch. */
  private volatile int useBatch;

  /** One instance, so that {@link #close()} can take back exactly what was given to the store. */
  private final Runnable onChange = this::invalidate;

  // The scheduled futures are not kept: both tasks catch what they can fail with and log it, and
  // close()
  // stops them with the executor, so a future would have nothing to report and nothing to cancel.
  @SuppressWarnings("FutureReturnValueIgnored")
  private StoreKeyValidator(Builder builder) {
    this.store = builder.store;
    this.hasher = builder.hasher;
    this.environment = builder.environment;
    this.clock = builder.clock;
    this.maxStalenessNanos = builder.maxStaleness.toNanos();
    this.negativeCacheSize = builder.negativeCacheSize;
    this.indexAllKeys = builder.indexAllKeys;
    this.known = new BoundedKeyCache<>(builder.cacheSize);
    this.useTime = clock.instant();
    store.addChangeListener(onChange);
    LocalValidators.opened(this);
    this.poller = daemon("nimbus-auth-key-sync");
    this.usesWriter = daemon("nimbus-auth-key-uses");
    this.pollNanos = builder.pollInterval.toNanos();
    this.nextPollNanos = System.nanoTime() + pollNanos;
    poller.schedule(this::poll, pollNanos, TimeUnit.NANOSECONDS);
    long flush = builder.lastUsedFlushInterval.toMillis();
    usesWriter.scheduleWithFixedDelay(this::flushUsesQuietly, flush, flush, TimeUnit.MILLISECONDS);
  }

  private static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** A builder over {@code store}. */
  public static Builder over(KeyStore store) {
    return new Builder(store);
  }

  @Override
  public ValidationResult validate(PresentedKey key) throws KeyValidationException {
    Optional<Environment> keyEnvironment = ApiKeyFormat.environmentOf(key.value());
    if (keyEnvironment.isEmpty()) {
      return ValidationResult.invalid(InvalidReason.MALFORMED);
    }
    if (environment != null && keyEnvironment.get() != environment) {
      return ValidationResult.invalid(InvalidReason.WRONG_ENVIRONMENT);
    }
    byte[] hash = hasher.hash(key);
    try {
      if (isStale()) {
        sync();
      }
      // Known keys first: a valid key, the usual request, then costs one cache read and no
      // negative-cache
      // lookup. A hash is never in both caches for long (the generation check below undoes a stale
      // entry),
      // and while it is, the key was found in the store after it was missed: it exists.
      Known entry = known.get(hash);
      if (entry == null) {
        HashKey digest = new HashKey(hash);
        if (unknown.contains(digest)) {
          return ValidationResult.invalid(InvalidReason.UNKNOWN);
        }
        CompactKeyIndex all = index;
        if (all != null && !all.contains(hash)) {
          return ValidationResult.invalid(
              InvalidReason.UNKNOWN); // no such key at this revision: no query
        }
        long before = generation.get();
        KeyRecord record = store.findByHash(hash).orElse(null);
        if (record == null) {
          rememberUnknown(digest, before);
          return ValidationResult.invalid(InvalidReason.UNKNOWN);
        }
        entry = new Known(record);
        byte[] cached = record.hashBytes(); // the record's own array: no copy kept per key
        known.put(cached, entry);
        if (generation.get() != before) {
          known.remove(cached, entry);
        }
      }
      return verdict(entry, hash);
    } catch (KeyStoreException e) {
      throw new KeyValidationException("key store unavailable: " + e.getMessage(), e);
    }
  }

  /** Drops every cached verdict; the next request of each key goes to the store. */
  public void invalidate() {
    generation.incrementAndGet();
    known.clear();
    unknown.clear();
    synced = false;
    droppedNanos = System.nanoTime();
  }

  /** Stops the background threads and writes the last uses. */
  @Override
  public void close() {
    LocalValidators.closed(this);
    store.removeChangeListener(onChange);
    poller.shutdownNow();
    usesWriter.shutdownNow();
    flushUsesQuietly();
  }

  KeyStore store() {
    return store;
  }

  /** When the caches were last dropped for a change, on {@link System#nanoTime()}'s scale. */
  long droppedNanos() {
    return droppedNanos;
  }

  /**
   * Whether nothing this validator holds is older than the store's state at {@code nanos}: it has
   * no cache to trust (the next request reads the store), or its last sync began after that
   * instant.
   */
  boolean freshSince(long nanos) {
    return !synced || lastSyncNanos - nanos >= 0;
  }

  @Override
  public String toString() {
    return "StoreKeyValidator["
        + store
        + ", "
        + hasher
        + ", environment="
        + (environment == null ? "any" : environment.configName())
        + (indexAllKeys ? ", all keys indexed" : "")
        + "]";
  }

  /**
   * A cached record, with the verdict it earns when nothing refuses it, made once: the principal
   * and the result are immutable, so every request of the key can share them.
   */
  private static final class Known {
    final KeyRecord record;
    final ValidationResult.Valid valid;

    /**
     * The last-use batch in which this key's use was noted: a request of a key already noted costs
     * no map access at all. A plain field: a lost update only notes the use twice.
     */
    int notedInBatch = -1;

    Known(KeyRecord record) {
      this.record = record;
      this.valid = new ValidationResult.Valid(record.principal());
    }
  }

  private ValidationResult verdict(Known entry, byte[] hash) {
    KeyRecord record = entry.record;
    if (!record.hashEquals(hash)) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
    // Only keys that can be revoked or expired by now need the time exactly.
    Instant now = record.revokedAt() == null && record.expiresAt() == null ? null : clock.instant();
    if (now != null && record.isRevokedAt(now)) {
      return ValidationResult.invalid(InvalidReason.REVOKED);
    }
    if (now != null && record.isExpiredAt(now)) {
      return ValidationResult.invalid(InvalidReason.EXPIRED);
    }
    if (disabledOwners.contains(record.owner())) {
      return ValidationResult.invalid(InvalidReason.DISABLED);
    }
    if (environment != null && record.environment() != environment) {
      return ValidationResult.invalid(InvalidReason.WRONG_ENVIRONMENT);
    }
    recordUse(entry, now != null ? now : useTime);
    return entry.valid;
  }

  /**
   * Notes the key's use for the next batch write, once per batch: the first use of the key since
   * the last write, so last use is exact to the flush interval (10 s by default). Later requests of
   * the key in the same batch touch nothing but the cache entry they already read: with a million
   * keys in use, one map access per request more would be a cache miss or two each.
   */
  private void recordUse(Known entry, Instant now) {
    int batch = useBatch;
    if (entry.notedInBatch != batch) {
      entry.notedInBatch = batch;
      pendingUses.put(entry.record.keyId(), now);
    }
  }

  private void rememberUnknown(HashKey digest, long generationBefore) {
    if (unknown.size() >= negativeCacheSize) {
      unknown.clear(); // bounded: a flood of distinct keys costs memory up to the limit, never more
    }
    unknown.add(digest);
    if (generation.get() != generationBefore) {
      unknown.remove(digest);
    }
  }

  /**
   * Reads the store's revision; when it moved, drops the caches and reloads the disabled owners.
   */
  private synchronized void sync() throws KeyStoreException {
    long startedNanos = System.nanoTime();
    long startedGeneration = generation.get();
    boolean trusted = synced; // if not, the caches were dropped already, when the change was told
    long revision = store.revision();
    if (revision != knownRevision || !synced) {
      startedGeneration = generation.incrementAndGet();
      known.clear();
      unknown.clear();
      if (trusted) {
        droppedNanos = System.nanoTime();
      }
      disabledOwners = store.disabledOwners();
      if (indexAllKeys) {
        index = hashesOfAllKeys();
      }
      knownRevision = revision;
    }
    lastSyncNanos = startedNanos;
    // A change reported while this ran may postdate what it read: then the next request syncs
    // again.
    synced = generation.get() == startedGeneration;
  }

  /** The index: every record, revoked and expired ones too (they get their own verdicts). */
  private CompactKeyIndex hashesOfAllKeys() throws KeyStoreException {
    try {
      return CompactKeyIndex.of(store.list());
    } catch (IllegalArgumentException e) {
      throw new KeyStoreException("cannot index the store's keys: " + e.getMessage(), e);
    }
  }

  private boolean isStale() {
    return !synced || System.nanoTime() - lastSyncNanos > maxStalenessNanos;
  }

  /**
   * Polls, then schedules the next poll one interval after this one was due rather than after it
   * ended (as a fixed delay would): a poll slowed down by the machine or the database (a connection
   * opened under load) then does not push every later one back, and a change is read at most one
   * interval after it was committed. A poll that overran its interval is followed at once; never
   * two at a time, and never a burst to catch up after a long one.
   */
  // The next poll's future carries nothing to read: pollQuietly() handles and logs every failure
  // itself.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void poll() {
    try {
      pollQuietly();
    } finally {
      long now = System.nanoTime();
      nextPollNanos = Math.max(nextPollNanos + pollNanos, now);
      try {
        poller.schedule(this::poll, nextPollNanos - now, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        // the validator was closed while this poll ran: no more polls
      }
    }
  }

  private void pollQuietly() {
    try {
      useTime = clock.instant();
      sync();
    } catch (KeyStoreException | RuntimeException e) {
      if (poller.isShutdown()) {
        return; // closed during the poll, which the interruption broke: no outage
      }
      if (pollOutage.failed()) {
        LOG.log(
            Level.WARNING,
            "Nimbus Auth cannot poll its key store "
                + store
                + " ("
                + e.getMessage()
                + "); cached keys stop being trusted "
                + maxStalenessNanos / 1_000_000
                + " ms after the last"
                + " successful poll, and requests fail closed until the store answers. Logged once per outage;"
                + " its end is logged too",
            e);
      }
      return;
    }
    String outage = pollOutage.recovered();
    if (outage != null) {
      LOG.log(
          Level.INFO,
          "Nimbus Auth polls its key store " + store + " again, after an outage of " + outage);
    }
  }

  // Removing while iterating is safe on a ConcurrentHashMap (weakly consistent iterators), and
  // remove(key)
  // takes the newest use atomically, which an iterator's remove() after reading the value would
  // not.
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  private void flushUsesQuietly() {
    // The background thread and close() may both flush (shutdownNow does not wait for a running
    // flush), and
    // useBatch++ must not lose an increment between them. Not on this: sync() holds that, and a
    // slow store
    // write must not hold up a request's sync.
    synchronized (flushLock) {
      useBatch++; // from now on, uses are noted for the next batch (a use noted just before is
      // drained now)
      if (pendingUses.isEmpty()) {
        return;
      }
      Map<String, Instant> batch = new HashMap<>();
      for (String keyId : pendingUses.keySet()) {
        Instant when = pendingUses.remove(keyId);
        if (when != null) {
          batch.put(keyId, when);
        }
      }
      try {
        store.recordLastUsed(batch);
      } catch (KeyStoreException | RuntimeException e) {
        batch.forEach(pendingUses::putIfAbsent);
        if (usesOutage.failed()) {
          LOG.log(
              Level.WARNING,
              "Nimbus Auth cannot record last use of "
                  + batch.size()
                  + " keys in "
                  + store
                  + " ("
                  + e.getMessage()
                  + "); they are kept and written once it can. Logged once per outage");
        }
        return;
      }
      String outage = usesOutage.recovered();
      if (outage != null) {
        LOG.log(
            Level.INFO,
            "Nimbus Auth records last use in " + store + " again, after an outage of " + outage);
      }
    }
  }

  /** Configures a {@link StoreKeyValidator}. */
  public static final class Builder {
    private final KeyStore store;
    private KeyHasher hasher = KeyHasher.sha256();
    private Environment environment;
    private Clock clock = Clock.systemUTC();
    private Duration pollInterval = Duration.ofMillis(250);
    private Duration maxStaleness = Duration.ofSeconds(1);
    private Duration lastUsedFlushInterval = Duration.ofSeconds(10);
    private int negativeCacheSize = 100_000;
    private int cacheSize = com.nimbusos.auth.api.config.NimbusAuthConfig.DEFAULT_STORE_CACHE_KEYS;
    private boolean indexAllKeys;

    private Builder(KeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** How keys are hashed; must match the {@link KeyManager} that wrote them. Default SHA-256. */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** The environment served: keys of the other are refused before any lookup. Default: any. */
    public Builder environment(Environment environment) {
      this.environment = environment;
      return this;
    }

    /** The clock deciding revocation and expiry. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How often other nodes' changes are looked for. Default 250 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How long the cache is trusted without a successful poll. Default 1 s. */
    public Builder maxStaleness(Duration maxStaleness) {
      this.maxStaleness = positive(maxStaleness, "maxStaleness");
      return this;
    }

    /** How often last uses are written. Default 10 s. */
    public Builder lastUsedFlushInterval(Duration interval) {
      this.lastUsedFlushInterval = positive(interval, "lastUsedFlushInterval");
      return this;
    }

    /** How many unknown keys are remembered at most. Default 100,000 (about 10 MB). */
    public Builder negativeCacheSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("negativeCacheSize must be positive");
      }
      this.negativeCacheSize = size;
      return this;
    }

    /**
     * How many known keys are cached at most (rounded up to a power of two); past that, of the two
     * entries a key may take, one not used since it was last considered is evicted, and an evicted
     * key is read from the store again when it comes back. Default 262,144.
     */
    public Builder cacheSize(int size) {
      if (size < 1 || size > 1 << 30) {
        throw new IllegalArgumentException("cacheSize must be between 1 and 2^30");
      }
      this.cacheSize = size;
      return this;
    }

    /**
     * Whether to hold every key's hash in memory (about 100 bytes a key), reloaded from {@link
     * KeyStore#list()} whenever the store's revision moves: then an unknown key never costs a
     * query, however many distinct ones a flood brings; a key created on another node is accepted
     * from the next poll on. Default off: each unknown key costs one query, then sits in the
     * negative cache.
     */
    public Builder indexAllKeys(boolean indexAllKeys) {
      this.indexAllKeys = indexAllKeys;
      return this;
    }

    /** Starts the validator and its background threads. */
    public StoreKeyValidator build() {
      if (maxStaleness.compareTo(pollInterval) <= 0) {
        throw new IllegalArgumentException("maxStaleness must exceed pollInterval");
      }
      return new StoreKeyValidator(this);
    }

    private static Duration positive(Duration duration, String name) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return duration;
    }
  }
}
