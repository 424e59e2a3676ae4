package com.nimbusos.auth.api.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where key records live: in memory, a JSON file, or a database. {@link StoreKeyValidator} reads it
 * through a cache, {@link KeyManager} changes it. Implementations are thread-safe, and every change
 * advances {@link #revision()} so that caches on every node notice it.
 */
public interface KeyStore {

  /** The record with this hash, whatever its state. */
  Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException;

  /** The record with this id. */
  Optional<KeyRecord> findById(String keyId) throws KeyStoreException;

  /** Every record, in creation order. */
  List<KeyRecord> list() throws KeyStoreException;

  /**
   * Adds a record.
   *
   * @throws KeyStoreException if its id or hash is already there; nothing is written then
   */
  void insert(KeyRecord record) throws KeyStoreException;

  /**
   * Replaces the record with the same id (revocation, expiry).
   *
   * @throws KeyStoreException if there is none
   */
  void update(KeyRecord record) throws KeyStoreException;

  /**
   * Adds {@code inserted} and replaces {@code updated} as one change, as a rotation with a grace
   * period needs: either both happen or neither.
   */
  void insertAndUpdate(KeyRecord inserted, KeyRecord updated) throws KeyStoreException;

  /** Owners whose keys are all refused. */
  Set<String> disabledOwners() throws KeyStoreException;

  /** Disables or re-enables every key of {@code owner}. */
  void setOwnerDisabled(String owner, boolean disabled) throws KeyStoreException;

  /**
   * Records when keys were last used, in one batch: validators coalesce uses and write them now and
   * then, never once per request. Neither advances the revision nor tells listeners, here or
   * through any other store object on the same storage: it changes nothing a cache holds.
   */
  void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException;

  /**
   * A number that changes with every insert, update and owner change, on any node sharing the
   * store.
   */
  long revision() throws KeyStoreException;

  /**
   * Asks to be told, right after it happens, of every change made through this JVM, so that caches
   * here drop a revoked key before the next request instead of at the next poll; and, where the
   * store can learn of them (a watched file, PostgreSQL notifications), of changes made by other
   * processes and nodes, within milliseconds. A listener may be told more often than there were
   * changes; of changes made elsewhere it may hear nothing while the store's watch or connection is
   * down, which is why validators poll too. Stores that cannot tell ignore it; their changes are
   * still seen through {@link #revision()}.
   */
  default void addChangeListener(Runnable listener) {}

  /**
   * Stops telling {@code listener}: a validator that closes lets go of a store that outlives it.
   */
  default void removeChangeListener(Runnable listener) {}
}
