package com.nimbusos.auth.api.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A store in memory: for tests, demos and single-node deployments that seed keys at start. */
public class InMemoryKeyStore implements KeyStore {

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, KeyRecord> byId = new LinkedHashMap<>();
  private final Map<HashKey, KeyRecord> byHash = new HashMap<>();
  private final Set<String> disabledOwners = new HashSet<>();
  private final AtomicLong revision = new AtomicLong();
  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(byHash.get(new HashKey(hash)));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<KeyRecord> findById(String keyId) throws KeyStoreException {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(byId.get(keyId));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<KeyRecord> list() throws KeyStoreException {
    lock.readLock().lock();
    try {
      return List.copyOf(byId.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void insert(KeyRecord record) throws KeyStoreException {
    lock.writeLock().lock();
    try {
      if (byId.containsKey(record.keyId())) {
        throw new KeyStoreException("key id " + record.keyId() + " already exists");
      }
      if (byHash.containsKey(new HashKey(record.hashBytes()))) {
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
      KeyRecord old = byId.get(record.keyId());
      if (old == null) {
        throw new KeyStoreException("no key with id " + record.keyId());
      }
      byHash.remove(new HashKey(old.hashBytes()));
      put(record);
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
      KeyRecord old = byId.get(updated.keyId());
      if (old == null) {
        throw new KeyStoreException("no key with id " + updated.keyId());
      }
      if (byId.containsKey(inserted.keyId()) || byHash.containsKey(new HashKey(inserted.hashBytes()))) {
        throw new KeyStoreException("key id " + inserted.keyId() + " or its hash already exists");
      }
      byHash.remove(new HashKey(old.hashBytes()));
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

  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException {
    lock.writeLock().lock();
    try {
      for (Map.Entry<String, Instant> use : lastUsedByKeyId.entrySet()) {
        KeyRecord record = byId.get(use.getKey());
        if (record != null && (record.lastUsedAt() == null || record.lastUsedAt().isBefore(use.getValue()))) {
          put(record.usedAt(use.getValue()));
        }
      }
    } finally {
      lock.writeLock().unlock();
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
   * Replaces everything at once, as a reload of a file does. Advances the revision and tells the listeners
   * unless the new content differs from the old in last use only: a last-use write by another process
   * changes nothing a cache holds, so it must not cost every cache its contents.
   *
   * @param records the records in creation order
   * @param owners the disabled owners
   */
  protected void replaceAll(List<KeyRecord> records, Set<String> owners) {
    boolean changed;
    lock.writeLock().lock();
    try {
      changed = !sameButLastUse(records, owners);
      if (changed) {
        byId.clear();
        byHash.clear();
      }
      for (KeyRecord record : records) {
        put(record);
      }
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

  /** Whether {@code records} and {@code owners} are what is held, last use aside; under the lock. */
  private boolean sameButLastUse(List<KeyRecord> records, Set<String> owners) {
    if (records.size() != byId.size() || !disabledOwners.equals(owners)) {
      return false;
    }
    var held = byId.values().iterator();
    for (KeyRecord record : records) {
      if (!record.usedAt(null).equals(held.next().usedAt(null))) {
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
      return new Snapshot(new ArrayList<>(byId.values()), Set.copyOf(disabledOwners));
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
    byId.put(record.keyId(), record);
    byHash.put(new HashKey(record.hashBytes()), record);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + snapshot().records().size() + " keys, revision " + revision.get() + "]";
  }
}
