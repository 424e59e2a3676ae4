package com.nimbusos.auth.api.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A store in memory: for tests, demos and single-node deployments that seed keys at start. The
 * records live in a {@link CompactKeyIndex} (about 90 bytes a key, no object per key; a record is
 * made when asked for), with the few changed since the last compaction kept aside.
 */
public class InMemoryKeyStore implements KeyStore {

  /** The most last uses noted under one hold of the write lock ({@link #recordLastUsed}). */
  static final int USES_PER_LOCK = 1024;

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final CompactRecords held = new CompactRecords();
  private final Set<String> disabledOwners = new HashSet<>();
  private final AtomicLong revision = new AtomicLong();
  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(held.byHash(hash));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The key with this hash as a {@link StoreKeyValidator} caches it, or null: what {@link
   * #findByHash} finds, made without a record. The validator reads through this only when the
   * store's class does not override {@link #findByHash} ({@link #knownKeysReadDirectly}); a
   * subclass that refreshes before a lookup overrides both. A key whose last use noted is at or
   * after {@code usedSinceNanos} (epoch nanoseconds) comes {@link KnownKey#RECORDED_RECENTLY}.
   */
  KnownKey findKnownKey(byte[] hash, long usedSinceNanos) throws KeyStoreException {
    lock.readLock().lock();
    try {
      return held.knownKeyByHash(hash, usedSinceNanos);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Records a use, in epoch nanoseconds, of the key with this hash if later than the one held,
   * under the read lock beside lookups, as {@link #recordLastUsed} does for most keys; false if it
   * takes the write lock (a key changed since the last compaction, an instant beyond nanoseconds)
   * or no such key is held. Found by hash rather than by id: right after the validator's lookup of
   * the same hash, what this reads is still in the CPU's caches.
   */
  boolean recordUseByHash(byte[] hash, long epochNanos) {
    lock.readLock().lock();
    try {
      return held.usedAtSharingByHash(hash, epochNanos);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many records it holds, revoked ones included. */
  int size() {
    lock.readLock().lock();
    try {
      return held.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Whether {@code store} can be read through {@link #findKnownKey}: an in-memory store whose
   * lookup by hash is this package's own, so that a subclass overriding {@link #findByHash} (to
   * count, delay or refuse) is still asked through it.
   */
  static boolean knownKeysReadDirectly(KeyStore store) {
    if (!(store instanceof InMemoryKeyStore)) {
      return false;
    }
    try {
      Class<?> declaring =
          store.getClass().getMethod("findByHash", byte[].class).getDeclaringClass();
      return declaring == InMemoryKeyStore.class || declaring == JsonFileKeyStore.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Override
  public Optional<KeyRecord> findById(String keyId) throws KeyStoreException {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(held.byId(keyId));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<KeyRecord> list() throws KeyStoreException {
    lock.readLock().lock();
    try {
      return List.copyOf(held.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void insert(KeyRecord record) throws KeyStoreException {
    lock.writeLock().lock();
    try {
      if (held.byId(record.keyId()) != null) {
        throw new KeyStoreException("key id " + record.keyId() + " already exists");
      }
      if (held.containsHash(record.hashBytes())) {
        throw new KeyStoreException("another key has the same hash as " + record.keyId());
      }
      put(record);
      revision.incrementAndGet();
    } finally {
      lock.writeLock().unlock();
    }
    changed();
  }

  @Override
  public void update(KeyRecord record) throws KeyStoreException {
    lock.writeLock().lock();
    try {
      KeyRecord old = held.byId(record.keyId());
      if (old == null) {
        throw new KeyStoreException("no key with id " + record.keyId());
      }
      put(record); // replaces the old record, whose hash no longer finds anything
      revision.incrementAndGet();
    } finally {
      lock.writeLock().unlock();
    }
    changed();
  }

  @Override
  public void insertAndUpdate(KeyRecord inserted, KeyRecord updated) throws KeyStoreException {
    lock.writeLock().lock();
    try {
      KeyRecord old = held.byId(updated.keyId());
      if (old == null) {
        throw new KeyStoreException("no key with id " + updated.keyId());
      }
      if (held.byId(inserted.keyId()) != null || held.containsHash(inserted.hashBytes())) {
        throw new KeyStoreException("key id " + inserted.keyId() + " or its hash already exists");
      }
      put(updated);
      put(inserted);
      revision.incrementAndGet();
    } finally {
      lock.writeLock().unlock();
    }
    changed();
  }

  @Override
  public Set<String> disabledOwners() throws KeyStoreException {
    lock.readLock().lock();
    try {
      return Set.copyOf(disabledOwners);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void setOwnerDisabled(String owner, boolean disabled) throws KeyStoreException {
    lock.writeLock().lock();
    try {
      if (disabled ? disabledOwners.add(owner) : disabledOwners.remove(owner)) {
        revision.incrementAndGet();
      }
    } finally {
      lock.writeLock().unlock();
    }
    changed();
  }

  /**
   * Notes the uses {@value #USES_PER_LOCK} at a time under the read lock, beside lookups: a
   * validator's batch may hold a use for every key its cache holds, a million-key store spends a
   * microsecond or two finding each by id, and under the write lock every cache miss of every
   * validator waited for those searches (measured at 1.2 µs a validation with a million keys in
   * use). A use is a number beside the index, written by an atomic maximum ({@link
   * CompactRecords#usedAtSharing}); only the few that need more (a key changed since the last
   * compaction, an instant beyond nanoseconds in a long) take the write lock. A batch is not a
   * change that must be seen whole: each use stands on its own.
   */
  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException {
    List<Map.Entry<String, Instant>> exclusive = new ArrayList<>();
    Iterator<Map.Entry<String, Instant>> uses = lastUsedByKeyId.entrySet().iterator();
    while (uses.hasNext()) {
      lock.readLock().lock(); // a writer waiting behind a long hold would stop every lookup
      try {
        for (int n = 0; n < USES_PER_LOCK && uses.hasNext(); n++) {
          Map.Entry<String, Instant> use = uses.next();
          if (!held.usedAtSharing(use.getKey(), use.getValue())) {
            exclusive.add(use);
          }
        }
      } finally {
        lock.readLock().unlock();
      }
    }
    for (int from = 0; from < exclusive.size(); from += USES_PER_LOCK) {
      lock.writeLock().lock();
      try {
        for (Map.Entry<String, Instant> use :
            exclusive.subList(from, Math.min(from + USES_PER_LOCK, exclusive.size()))) {
          held.usedAt(use.getKey(), use.getValue());
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  @Override
  public long revision() throws KeyStoreException {
    return revision.get();
  }

  @Override
  public void addChangeListener(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void removeChangeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /**
   * Replaces everything at once, as a reload of a file does. Advances the revision and tells the
   * listeners unless the new content differs from the old in last use only: a last-use write by
   * another process changes nothing a cache holds, so it must not cost every cache its contents.
   *
   * @param records the records in creation order
   * @param owners the disabled owners
   */
  protected void replaceAll(List<KeyRecord> records, Set<String> owners) {
    boolean changed;
    lock.writeLock().lock();
    try {
      changed = !sameButLastUse(records, owners);
      held.replaceAll(records);
      if (changed) {
        disabledOwners.clear();
        disabledOwners.addAll(owners);
        revision.incrementAndGet();
      }
    } finally {
      lock.writeLock().unlock();
    }
    if (changed) {
      changed();
    }
  }

  /**
   * Whether {@code records} and {@code owners} are what is held, last use aside; under the lock.
   */
  private boolean sameButLastUse(List<KeyRecord> records, Set<String> owners) {
    if (records.size() != held.size() || !disabledOwners.equals(owners)) {
      return false;
    }
    var current = held.values().iterator();
    for (KeyRecord record : records) {
      if (!record.usedAt(null).equals(current.next().usedAt(null))) {
        return false;
      }
    }
    return true;
  }

  /** Whether anyone listens: stores that push changes watch their storage only then. */
  protected boolean hasChangeListeners() {
    return !listeners.isEmpty();
  }

  /** Tells the listeners; called after every change, outside the lock. */
  protected void changed() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /** A consistent snapshot of records and disabled owners. */
  protected Snapshot snapshot() {
    lock.readLock().lock();
    try {
      return new Snapshot(held.values(), Set.copyOf(disabledOwners));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Everything the store holds at one instant.
   *
   * @param records the records in creation order
   * @param disabledOwners the disabled owners
   */
  protected record Snapshot(List<KeyRecord> records, Set<String> disabledOwners) {}

  private void put(KeyRecord record) {
    held.put(record);
  }

  @Override
  public String toString() {
    lock.readLock().lock();
    try {
      return getClass().getSimpleName()
          + "["
          + held.size()
          + " keys, revision "
          + revision.get()
          + "]";
    } finally {
      lock.readLock().unlock();
    }
  }
}
