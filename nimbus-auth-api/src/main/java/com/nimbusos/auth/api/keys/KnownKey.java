package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.ValidationResult;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A known key as a {@link StoreKeyValidator} caches it: its hash, when it was revoked, and the
 * verdict it earns when nothing refuses it, made once. The principal and the result are immutable,
 * so every request of the key shares them and a valid key costs no allocation. The record it was
 * made from is not kept: its creation time, last four characters and last use decide nothing, and
 * with 262,144 keys cached they were about a third of the cache's heap.
 */
final class KnownKey {

  /** The record's own array, also the cache's key for this entry: one copy per cached key. */
  private final byte[] hash;

  private final Instant revokedAt;
  final ValidationResult.Valid valid;

  /**
   * The last-use batch in which this key's use was noted ({@link LastUseBatcher}): a request of a
   * key already noted costs no map access at all. A plain field: a lost update only notes the use
   * twice.
   */
  int notedInBatch = -1;

  KnownKey(KeyRecord record) {
    this.hash = record.hashBytes();
    this.revokedAt = record.revokedAt();
    this.valid = new ValidationResult.Valid(record.principal());
  }

  /** The array the cache keys this entry by. */
  byte[] hash() {
    return hash;
  }

  /** Whether {@code candidate} is this key's hash, compared in constant time. */
  boolean hashEquals(byte[] candidate) {
    return MessageDigest.isEqual(hash, candidate);
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
    return revokedAt != null || valid.principal().expiresAt() != null;
  }

  boolean isRevokedAt(Instant now) {
    return revokedAt != null && !now.isBefore(revokedAt);
  }

  boolean isExpiredAt(Instant now) {
    return valid.principal().isExpiredAt(now);
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "KnownKey[" + keyId() + "]";
  }
}
