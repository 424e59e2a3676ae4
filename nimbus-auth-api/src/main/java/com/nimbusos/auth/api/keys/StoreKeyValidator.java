package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 *       not cost one query each; with {@link Builder#index(boolean)} ({@code
 *       nimbus.auth.store.index}), the hash of every key is held in memory and reloaded whenever
 *       the revision moves, so that no unknown key, even a new one each time, costs a query at all;
 *   <li>last use is recorded in batches, never with a write per request.
 * </ul>
 *
 * Close it to stop its background threads and write the last uses.
 */
// Each concern is a class of its own; this one composes them and holds the request path:
// BoundedKeyCache (known keys), UnknownKeyCache (the negative cache), StoreIndex (every key),
// RevisionWatch (when the caches stop being true), RevisionPoller (the poll thread) and
// LastUseBatcher (last uses, written on another thread).
public final class StoreKeyValidator implements KeyValidator, AutoCloseable {

  private final KeyStore store;

  /**
   * Whether a cache miss reads the store's compact records straight into a cached key ({@link
   * InMemoryKeyStore#findKnownKey}), with no record made.
   */
  private final boolean storeInMemory;

  private final KeyHasher hasher;
  private final Environment environment;
  private final Clock clock;

  /**
   * Known keys, at most {@link Builder#cacheSize(int)}: a node whose keys are all in use holds no
   * more.
   */
  private final BoundedKeyCache<KnownKey> known;

  private final UnknownKeyCache unknown;
  private final StoreIndex index;
  private final CacheGeneration generation = new CacheGeneration();
  private final RevisionWatch revisions;
  private final LastUseBatcher lastUses;
  private final RevisionPoller poller;

  /**
   * Whether a key read from the store is cached: always, but over an {@link InMemoryKeyStore} that
   * holds more keys than the cache, as of the last revision read. Reading such a store's compact
   * records costs about what a cache hit costs once the keys no longer fit in the CPU's caches,
   * while caching each key read evicts another, and both then live long enough for young
   * collections to copy them: with a million keys in use and the default bound, validation took
   * twice the floor's time with the cache and four fifths of it without. Not over the JSON file
   * store, whose lookup looks at its file and takes its monitor: every request would pay both.
   */
  private volatile boolean cacheStoreReads = true;

  /**
   * Whether the store is an {@link InMemoryKeyStore} itself, not a subclass (which may count,
   * persist or refuse last uses through {@link KeyStore#recordLastUsed}): a key it answers without
   * being cached has its use recorded in the store at once, by hash, instead of queued. Queued, the
   * use of such a key (a new object at every read) was queued again at every read until the write
   * landed; with a million keys in use the young collections that copied what waited took 519 ms in
   * 16 s of a benchmark fork, 18 ms with this. A use recorded by id instead cost ≈ 2 µs on the
   * request thread, the id's lines being cold.
   */
  private final boolean recordsUsesByHash;

  /** Owners whose keys are all refused, as of the last revision read. */
  private volatile Set<String> disabledOwners = Set.of();

  /** One instance, so that {@link #close()} can take back exactly what was given to the store. */
  private final Runnable onChange = this::invalidate;

  private StoreKeyValidator(Builder builder) {
    this.store = builder.store;
    this.storeInMemory = InMemoryKeyStore.knownKeysReadDirectly(store);
    this.recordsUsesByHash = store.getClass() == InMemoryKeyStore.class;
    this.hasher = builder.hasher;
    this.environment = builder.environment;
    this.clock = builder.clock;
    this.known = new BoundedKeyCache<>(builder.cacheSize);
    this.unknown = new UnknownKeyCache(builder.negativeCacheSize, generation);
    this.index = new StoreIndex(store, builder.index);
    this.revisions =
        new RevisionWatch(
            store, builder.maxStaleness.toNanos(), generation, this::dropCaches, this::reload);
    this.lastUses =
        new LastUseBatcher(store, clock, builder.lastUsedFlushInterval, builder.cacheSize);
    store.addChangeListener(onChange);
    LocalValidators.opened(this);
    this.poller = new RevisionPoller(store, builder.pollInterval, builder.maxStaleness, this::poll);
  }

  /** A builder over {@code store}. */
  public static Builder over(KeyStore store) {
    return new Builder(store);
  }

  @Override
  public ValidationResult validate(PresentedKey key) throws KeyValidationException {
    Optional<Environment> keyEnvironment = ApiKeyFormat.environmentIfChecksumValid(key.value());
    if (keyEnvironment.isEmpty()) {
      return ValidationResult.invalid(InvalidReason.MALFORMED);
    }
    if (environment != null && keyEnvironment.get() != environment) {
      return ValidationResult.invalid(InvalidReason.WRONG_ENVIRONMENT);
    }
    byte[] hash = hasher.hash(key);
    try {
      if (revisions.isStale()) {
        revisions.sync();
      }
      // Known keys first: a valid key, the usual request, then costs one cache read and no
      // negative-cache lookup. A hash is never in both caches for long (the generation check in
      // lookUp undoes a stale entry), and while it is, the key was found in the store after it was
      // missed: it exists.
      KnownKey entry = known.get(hash);
      if (entry == null) {
        entry = lookUp(hash);
        if (entry == null) {
          return ValidationResult.invalid(InvalidReason.UNKNOWN);
        }
      }
      return verdict(entry, hash);
    } catch (KeyStoreException e) {
      throw new KeyValidationException("key store unavailable: " + e.getMessage(), e);
    }
  }

  /** Drops every cached verdict; the next request of each key goes to the store. */
  public void invalidate() {
    revisions.changed();
  }

  /** Stops the background threads and writes the last uses. */
  @Override
  public void close() {
    LocalValidators.closed(this);
    store.removeChangeListener(onChange);
    poller.close();
    lastUses.close();
  }

  KeyStore store() {
    return store;
  }

  /** How many keys the cache holds now. */
  int cachedKeys() {
    return known.size();
  }

  /** Reads the clock and writes the last uses noted so far, as the poll and flush threads do. */
  void writeLastUses() {
    lastUses.tick();
    lastUses.flush();
  }

  /** When the caches were last dropped for a change, on {@link System#nanoTime()}'s scale. */
  long droppedNanos() {
    return revisions.droppedNanos();
  }

  /**
   * Whether nothing this validator holds is older than the store's state at {@code nanos}: it has
   * no cache to trust (the next request reads the store), or its last sync began after that
   * instant.
   */
  boolean freshSince(long nanos) {
    return revisions.freshSince(nanos);
  }

  @Override
  public String toString() {
    return "StoreKeyValidator["
        + store
        + ", "
        + hasher
        + ", environment="
        + (environment == null ? "any" : environment.configName())
        + (index.enabled() ? ", all keys indexed" : "")
        + "]";
  }

  /**
   * A key missing from the cache: the negative cache, then the index, then the store; a key found
   * there is cached unless the store changed while it was read.
   *
   * @return null if there is no such key
   */
  private KnownKey lookUp(byte[] hash) throws KeyStoreException {
    HashKey digest = new HashKey(hash);
    if (unknown.contains(digest) || index.rulesOut(hash)) {
      return null; // no query
    }
    long before = generation.current();
    KnownKey entry = find(hash);
    if (entry == null) {
      unknown.remember(digest, before);
      return null;
    }
    if (cacheStoreReads) {
      known.put(entry);
      if (generation.movedSince(before)) {
        known.remove(entry);
      }
    }
    return entry;
  }

  private KnownKey find(byte[] hash) throws KeyStoreException {
    if (storeInMemory) {
      KnownKey key = ((InMemoryKeyStore) store).findKnownKey(hash, lastUses.recordedSinceNanos());
      if (key != null && key.notedInBatch == KnownKey.RECORDED_RECENTLY) {
        lastUses.alreadyRecorded(key);
      }
      return key;
    }
    KeyRecord record = store.findByHash(hash).orElse(null);
    return record == null ? null : KnownKey.of(record);
  }

  private ValidationResult verdict(KnownKey entry, byte[] hash) {
    if (!entry.hashEquals(hash)) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
    // Only keys that can be revoked or expired by now need the time exactly.
    Instant now = entry.canLapse() ? clock.instant() : null;
    if (now != null && entry.isRevokedAt(now)) {
      return ValidationResult.invalid(InvalidReason.REVOKED);
    }
    if (now != null && entry.isExpiredAt(now)) {
      return ValidationResult.invalid(InvalidReason.EXPIRED);
    }
    if (disabledOwners.contains(entry.owner())) {
      return ValidationResult.invalid(InvalidReason.DISABLED);
    }
    if (environment != null && entry.environment() != environment) {
      return ValidationResult.invalid(InvalidReason.WRONG_ENVIRONMENT);
    }
    if (!cacheStoreReads && recordsUsesByHash && entry.notedInBatch == KnownKey.NOT_NOTED) {
      lastUses.recordNow((InMemoryKeyStore) store, entry, hash, now); // see recordsUsesByHash
    } else if (now == null) {
      lastUses.noteUse(entry); // at the time of the last poll: no clock reading
    } else {
      lastUses.noteUse(entry, now);
    }
    return entry.valid;
  }

  /** Run by {@link RevisionWatch} when the store changed, after the generation moved. */
  private void dropCaches() {
    known.clear();
    unknown.forgetAll();
  }

  /**
   * Run by {@link RevisionWatch} when a sync found a new revision, after the caches were dropped.
   */
  private void reload() throws KeyStoreException {
    disabledOwners = store.disabledOwners();
    index.reload();
    cacheStoreReads =
        !storeInMemory
            || store instanceof JsonFileKeyStore
            || ((InMemoryKeyStore) store).size() <= known.capacity();
  }

  /** Run by {@link RevisionPoller} on its thread. */
  private void poll() throws KeyStoreException {
    lastUses.tick();
    revisions.sync();
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
    private boolean index;

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
     * How many known keys are cached at most (rounded up to a power of two): the cache's slots, of
     * which a key may take four; when its four are taken, one not used since it was last considered
     * is evicted, and an evicted key is read from the store again when it comes back. Keys crowd
     * each other out before every slot is taken (a million keys in a million slots leave about one
     * in five out; in four million, about one in a thousand), so give it about four times the keys
     * in use: a slot costs 4 bytes, a key cached about 200. Default 262,144. Over an {@link
     * InMemoryKeyStore} (not the JSON file store) that holds more keys than this, nothing is
     * cached: each request reads the store's compact records, which costs about what a hit costs at
     * that size and evicts nothing.
     */
    public Builder cacheSize(int size) {
      if (size < 1 || size > 1 << 30) {
        throw new IllegalArgumentException("cacheSize must be between 1 and 2^30");
      }
      this.cacheSize = size;
      return this;
    }

    /**
     * The {@code nimbus.auth.store.index} setting: whether to hold every key's hash in memory
     * (about 100 bytes a key), reloaded from {@link KeyStore#list()} whenever the store's revision
     * moves: then an unknown key never costs a query, however many distinct ones a flood brings; a
     * key created on another node is accepted from the next poll on. Default off: each unknown key
     * costs one query, then sits in the negative cache.
     */
    public Builder index(boolean index) {
      this.index = index;
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
