package com.nimbusos.auth.api.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the calls that reach a store, and can be switched off to act as a store that is down. */
final class CountingKeyStore implements KeyStore {

  final KeyStore delegate;
  final AtomicInteger lookups = new AtomicInteger();
  final AtomicInteger lastUsedWrites = new AtomicInteger();
  volatile boolean down;

  /**
   * Off: a view of shared storage that hears nothing of changes made elsewhere (another node's).
   */
  volatile boolean forwardsChangeListeners = true;

  CountingKeyStore(KeyStore delegate) {
    this.delegate = delegate;
  }

  private void check() throws KeyStoreException {
    if (down) {
      throw new KeyStoreException("connection refused");
    }
  }

  @Override
  public Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
    check();
    lookups.incrementAndGet();
    return delegate.findByHash(hash);
  }

  @Override
  public Optional<KeyRecord> findById(String keyId) throws KeyStoreException {
    check();
    return delegate.findById(keyId);
  }

  @Override
  public List<KeyRecord> list() throws KeyStoreException {
    check();
    return delegate.list();
  }

  @Override
  public void insert(KeyRecord record) throws KeyStoreException {
    check();
    delegate.insert(record);
  }

  @Override
  public void update(KeyRecord record) throws KeyStoreException {
    check();
    delegate.update(record);
  }

  @Override
  public void insertAndUpdate(KeyRecord inserted, KeyRecord updated) throws KeyStoreException {
    check();
    delegate.insertAndUpdate(inserted, updated);
  }

  @Override
  public Set<String> disabledOwners() throws KeyStoreException {
    check();
    return delegate.disabledOwners();
  }

  @Override
  public void setOwnerDisabled(String owner, boolean disabled) throws KeyStoreException {
    check();
    delegate.setOwnerDisabled(owner, disabled);
  }

  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException {
    check();
    lastUsedWrites.incrementAndGet();
    delegate.recordLastUsed(lastUsedByKeyId);
  }

  @Override
  public long revision() throws KeyStoreException {
    check();
    return delegate.revision();
  }

  @Override
  public void addChangeListener(Runnable listener) {
    if (forwardsChangeListeners) {
      delegate.addChangeListener(listener);
    }
  }

  @Override
  public void removeChangeListener(Runnable listener) {
    delegate.removeChangeListener(listener);
  }
}
