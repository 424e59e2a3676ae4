package com.nimbusos.auth.api.keys;

/**
 * The {@code nimbus.auth.store.index} setting: the hash of every key in the store, held in a {@link
 * CompactKeyIndex} (about 80 bytes a key, no object per key) and reloaded whenever the store's
 * revision moves, so that no unknown key, even a new one each time, costs a query at all. Off, it
 * holds nothing and rules nothing out. Thread-safe: a reload replaces the whole index.
 */
final class StoreIndex {

  private final KeyStore store;
  private final boolean enabled;

  /** Every key as of the last {@link #reload()}; {@code null} before it, and when off. */
  private volatile CompactKeyIndex index;

  StoreIndex(KeyStore store, boolean enabled) {
    this.store = store;
    this.enabled = enabled;
  }

  boolean enabled() {
    return enabled;
  }

  /**
   * Whether the store had no key of this hash at the last reload: then it needs no query. False
   * when off, and before the first reload.
   */
  boolean rulesOut(byte[] hash) {
    CompactKeyIndex all = index;
    return all != null && !all.contains(hash);
  }

  /**
   * Reads every record again, revoked and expired ones too (they get their own verdicts); nothing
   * when off.
   */
  void reload() throws KeyStoreException {
    if (!enabled) {
      return;
    }
    try {
      index = CompactKeyIndex.of(store.list());
    } catch (IllegalArgumentException e) {
      throw new KeyStoreException("cannot index the store's keys: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return enabled ? "StoreIndex[all keys]" : "StoreIndex[off]";
  }
}
