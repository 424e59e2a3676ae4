package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.ValidationResult;
import java.time.Instant;

/**
 * A known key as a {@link StoreKeyValidator} caches it: its hash, when it was revoked, and the
 * verdict it earns when nothing refuses it, made once. The principal and the result are immutable,
 * so every request of the key shares them and a valid key costs no allocation. The record it was
 * made from is not kept: its creation time, last four characters and last use decide nothing, and
 * with 262,144 keys cached they were about a third of the cache's heap. The hash is held in four
 * longs, not an array: 48 bytes and a dependent load less per key, and the cache compares it where
 * it already is. A key with a revocation time is a {@link Revocable}: the field that holds it would
 * take a key that has none from 56 bytes to 64 (2 MB with 262,144 keys cached).
 */
sealed class KnownKey extends BoundedKeyCache.Entry permits KnownKey.Revocable {

  /** Every record's hash: SHA-256 or HMAC-SHA256 ({@link KeyHasher}, {@link KeyRecord}). */
  static final int HASH_BYTES = 32;

  /** The hash, big-endian, eight bytes each. */
  private final long hash0;

  private final long hash1;
  private final long hash2;
  private final long hash3;

  final ValidationResult.Valid valid;

  /**
   * The last-use batch in which this key's use was noted ({@link LastUseBatcher}): a request of a
   * key already noted costs no map access at all. A plain field: a lost update only notes the use
   * twice.
   */
  int notedInBatch = NOT_NOTED;

  /** {@link #notedInBatch} of a key not noted in any batch. */
  static final int NOT_NOTED = -1;

  /**
   * {@link #notedInBatch} of a key read from a store that holds a use of it since the time it was
   * asked for ({@link InMemoryKeyStore#findKnownKey}): the validator counts it as noted in the
   * current batch ({@link LastUseBatcher#alreadyRecorded}).
   */
  static final int RECORDED_RECENTLY = -2;

  /** The key {@code record} describes, as the cache holds it. */
  static KnownKey of(KeyRecord record) {
    byte[] hash = record.hashBytes(); // HASH_BYTES long: KeyRecord refuses any other
    return of(
        HashWords.word(hash, 0),
        HashWords.word(hash, 8),
        HashWords.word(hash, 16),
        HashWords.word(hash, 24),
        record.principal(),
        record.revokedAt());
  }

  /**
   * The key of this hash (big-endian, eight bytes each) and principal, revoked at {@code revokedAt}
   * if not null: what {@link CompactKeyIndex} makes without a record.
   */
  static KnownKey of(
      long hash0,
      long hash1,
      long hash2,
      long hash3,
      ApiKeyPrincipal principal,
      Instant revokedAt) {
    return revokedAt == null
        ? new KnownKey(hash0, hash1, hash2, hash3, principal)
        : new Revocable(hash0, hash1, hash2, hash3, principal, revokedAt);
  }

  private KnownKey(long hash0, long hash1, long hash2, long hash3, ApiKeyPrincipal principal) {
    this.hash0 = hash0;
    this.hash1 = hash1;
    this.hash2 = hash2;
    this.hash3 = hash3;
    this.valid = new ValidationResult.Valid(principal);
  }

  /** Whether {@code candidate} is this key's hash, compared in constant time. */
  @Override
  protected boolean hashEquals(byte[] candidate) {
    if (candidate.length != HASH_BYTES) {
      return false;
    }
    long difference =
        (hash0 ^ HashWords.word(candidate, 0))
            | (hash1 ^ HashWords.word(candidate, 8))
            | (hash2 ^ HashWords.word(candidate, 16))
            | (hash3 ^ HashWords.word(candidate, 24));
    return difference == 0;
  }

  @Override
  protected long hashBits() {
    return hash1;
  }

  /** A copy: the cache reads it only to replace an entry of the same hash. */
  @Override
  protected byte[] hash() {
    byte[] hash = new byte[HASH_BYTES];
    HashWords.putWord(hash, 0, hash0);
    HashWords.putWord(hash, 8, hash1);
    HashWords.putWord(hash, 16, hash2);
    HashWords.putWord(hash, 24, hash3);
    return hash;
  }

  String keyId() {
    return valid.principal().keyId();
  }

  String owner() {
    return valid.principal().owner();
  }

  Environment environment() {
    return valid.principal().environment();
  }

  /** Whether the key can stop being valid with time: revoked or expiring at some instant. */
  boolean canLapse() {
    return valid.principal().expiresAt() != null;
  }

  boolean isRevokedAt(Instant now) {
    return false;
  }

  boolean isExpiredAt(Instant now) {
    return valid.principal().isExpiredAt(now);
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "KnownKey[" + keyId() + "]";
  }

  /** A key revoked, or to be revoked, at some instant. */
  static final class Revocable extends KnownKey {

    private final Instant revokedAt;

    private Revocable(
        long hash0,
        long hash1,
        long hash2,
        long hash3,
        ApiKeyPrincipal principal,
        Instant revokedAt) {
      super(hash0, hash1, hash2, hash3, principal);
      this.revokedAt = revokedAt;
    }

    @Override
    boolean canLapse() {
      return true;
    }

    @Override
    boolean isRevokedAt(Instant now) {
      return !now.isBefore(revokedAt);
    }
  }
}
