package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The key lifecycle of the spec's "Key Management": create (the clear key is returned once), rotate
 * (a new key for the same owner and scopes; the old one works on until revoked or its grace
 * expiry), revoke (refused from the very next request), expire, change scopes, and disable or
 * re-enable a whole partner.
 *
 * <p>Every change returns once the store has committed it: from then on every reader of the store
 * sees it. Validators apply it on their own, each within its store's bound (see docs/key-stores.md,
 * "Key lifecycle and stores"); {@link #awaitInForceHere} waits until every validator of this JVM
 * has.
 */
public final class KeyManager {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyStore store;
  private final KeyHasher hasher;
  private final Clock clock;

  /**
   * When this manager's last change was committed (before any, when it was made), on nanoTime's
   * scale.
   */
  private volatile long committedNanos = System.nanoTime();

  /** A manager writing to {@code store}, hashing as validators on that store will. */
  public KeyManager(KeyStore store, KeyHasher hasher) {
    this(store, hasher, Clock.systemUTC());
  }

  /** A manager on a given clock. */
  public KeyManager(KeyStore store, KeyHasher hasher, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a key.
   *
   * @param owner the partner integration
   * @param environment sandbox or production
   * @param scopes what the key may do
   * @param expiresAt when it stops working, or {@code null}
   * @return the key in clear, shown this once, and its record
   */
  public CreatedKey create(
      String owner, Environment environment, Set<String> scopes, Instant expiresAt)
      throws KeyStoreException {
    CreatedKey created = newKey(owner, environment, scopes, expiresAt);
    store.insert(created.record());
    committed();
    return created;
  }

  private CreatedKey newKey(
      String owner, Environment environment, Set<String> scopes, Instant expiresAt) {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank");
    }
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("expiry " + expiresAt + " is not in the future");
    }
    String key = ApiKeyFormat.generate(environment);
    KeyRecord record =
        new KeyRecord(
            newKeyId(),
            hasher.hash(key),
            owner.strip(),
            environment,
            scopes,
            ApiKeyFormat.last4(key),
            now,
            expiresAt,
            null,
            null);
    return new CreatedKey(key, record);
  }

  /**
   * Rotates a key: a new key for the same owner, environment and scopes. The old key keeps working
   * until revoked, or until {@code graceUntil} when given; meanwhile its responses carry a {@code
   * Sunset} header.
   *
   * @param keyId the key to replace
   * @param graceUntil when the old key stops working, or {@code null} to leave that to a revocation
   */
  public CreatedKey rotate(String keyId, Instant graceUntil) throws KeyStoreException {
    KeyRecord old = require(keyId);
    if (old.isRevokedAt(clock.instant())) {
      throw new IllegalArgumentException("key " + keyId + " is revoked; create a new key instead");
    }
    CreatedKey created = newKey(old.owner(), old.environment(), old.scopes(), old.expiresAt());
    if (graceUntil == null) {
      store.insert(created.record());
    } else {
      store.insertAndUpdate(created.record(), old.expiring(graceUntil));
    }
    committed();
    return created;
  }

  /**
   * Revokes a key: refused from the next request on. Returns once the revocation is committed;
   * {@link #awaitInForceHere} then waits until this JVM's validators apply it. Revoking twice keeps
   * the first revocation time.
   */
  public KeyRecord revoke(String keyId) throws KeyStoreException {
    KeyRecord old = require(keyId);
    if (old.revokedAt() != null) {
      return old;
    }
    KeyRecord revoked = old.revoked(clock.instant());
    store.update(revoked);
    committed();
    return revoked;
  }

  /** Sets when a key expires (now, to expire it at once). */
  public KeyRecord expire(String keyId, Instant when) throws KeyStoreException {
    KeyRecord expiring = require(keyId).expiring(Objects.requireNonNull(when, "when"));
    store.update(expiring);
    committed();
    return expiring;
  }

  /**
   * Replaces what a key may do; applies like a revocation, so a narrowed key loses its old scopes
   * on the next request.
   *
   * @param keyId the key
   * @param scopes its scopes from now on
   * @return the changed record
   */
  public KeyRecord setScopes(String keyId, Set<String> scopes) throws KeyStoreException {
    KeyRecord old = require(keyId);
    KeyRecord changed =
        new KeyRecord(
            old.keyId(),
            old.hash(),
            old.owner(),
            old.environment(),
            Objects.requireNonNull(scopes, "scopes"),
            old.last4(),
            old.createdAt(),
            old.expiresAt(),
            old.revokedAt(),
            old.lastUsedAt());
    store.update(changed);
    committed();
    return changed;
  }

  /** Every key, revoked and expired ones included. */
  public List<KeyRecord> list() throws KeyStoreException {
    return store.list();
  }

  /**
   * Disables every key of a partner at once, as fast as a revocation; {@link #enableOwner} undoes
   * it.
   */
  public void disableOwner(String owner) throws KeyStoreException {
    store.setOwnerDisabled(owner, true);
    committed();
  }

  /** Re-enables a disabled partner's keys (those not revoked or expired meanwhile). */
  public void enableOwner(String owner) throws KeyStoreException {
    store.setOwnerDisabled(owner, false);
    committed();
  }

  /**
   * Waits until every change this manager has made is in force here: every open {@link
   * StoreKeyValidator} of this JVM over the same storage (the same JSON file; the same database,
   * unless both stores connected and found different URLs) answers from the store as it was after
   * the change, not from an older cache, so that an admin tool can say "revoked, and in force on
   * this node". Requests already past their validation when the change arrived are not waited for;
   * nor are validators over a store object of another kind (a wrapper), unless it is this manager's
   * own. Other nodes apply the change within their own bound, whatever this returns.
   *
   * @param timeout how long to wait at most
   * @return true once the changes are in force here; false if {@code timeout} passed first (they
   *     are committed all the same)
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitInForceHere(Duration timeout) throws InterruptedException {
    return LocalValidators.awaitInForce(
        store, committedNanos, Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Notes that a change was committed; read after the store returned, so never earlier than the
   * commit.
   */
  private void committed() {
    committedNanos = System.nanoTime();
  }

  private KeyRecord require(String keyId) throws KeyStoreException {
    return store
        .findById(keyId)
        .orElseThrow(() -> new IllegalArgumentException("no key with id " + keyId));
  }

  private static String newKeyId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }
}
