package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * A key as a store holds it: public facts and the key's hash, never the key. Immutable; the
 * lifecycle makes changed copies.
 *
 * @param keyId public identifier, safe to show and log
 * @param hash SHA-256 or HMAC-SHA256 of the key (see {@link KeyHasher}); never printed
 * @param owner the partner integration
 * @param environment sandbox or production
 * @param scopes what the key may do
 * @param last4 the key's last four characters, to tell keys apart in listings
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null}
 * @param revokedAt when it was revoked, or {@code null}
 * @param lastUsedAt when it last authenticated a request (coalesced, approximate), or {@code null}
 */
public record KeyRecord(
    String keyId,
    byte[] hash,
    String owner,
    Environment environment,
    Set<String> scopes,
    String last4,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt) {

  /** Validates and copies. */
  public KeyRecord {
    Objects.requireNonNull(keyId, "keyId");
    if (hash == null || hash.length != 32) {
      throw new IllegalArgumentException("hash must be 32 bytes");
    }
    hash = hash.clone();
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(environment, "environment");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(last4, "last4");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A copy of the hash. */
  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** The hash itself, not a copy, for this package's indexes, which never change it. */
  byte[] hashBytes() {
    return hash;
  }

  /** The hash in lower-case hex, for stores that keep text. */
  public String hashHex() {
    return HexFormat.of().formatHex(hash);
  }

  /** Whether {@code candidate} is this key's hash; constant time. */
  public boolean hashEquals(byte[] candidate) {
    return MessageDigest.isEqual(hash, candidate);
  }

  /**
   * Whether the key has been revoked by {@code now}; a revocation takes effect at its instant
   * exactly.
   */
  public boolean isRevokedAt(Instant now) {
    return revokedAt != null && !now.isBefore(revokedAt);
  }

  /** Whether the key has expired at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** The principal this key authenticates as. */
  public ApiKeyPrincipal principal() {
    return new ApiKeyPrincipal(keyId, owner, environment, scopes, expiresAt);
  }

  /** A copy revoked at {@code when}. */
  public KeyRecord revoked(Instant when) {
    return new KeyRecord(
        keyId, hash, owner, environment, scopes, last4, createdAt, expiresAt, when, lastUsedAt);
  }

  /** A copy expiring at {@code when}. */
  public KeyRecord expiring(Instant when) {
    return new KeyRecord(
        keyId, hash, owner, environment, scopes, last4, createdAt, when, revokedAt, lastUsedAt);
  }

  /** A copy last used at {@code when}. */
  public KeyRecord usedAt(Instant when) {
    return new KeyRecord(
        keyId, hash, owner, environment, scopes, last4, createdAt, expiresAt, revokedAt, when);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyRecord that
        && keyId.equals(that.keyId)
        && MessageDigest.isEqual(hash, that.hash)
        && owner.equals(that.owner)
        && environment == that.environment
        && scopes.equals(that.scopes)
        && last4.equals(that.last4)
        && createdAt.equals(that.createdAt)
        && Objects.equals(expiresAt, that.expiresAt)
        && Objects.equals(revokedAt, that.revokedAt)
        && Objects.equals(lastUsedAt, that.lastUsedAt);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  /** Everything but the hash. */
  @Override
  public String toString() {
    return "KeyRecord[keyId="
        + keyId
        + ", owner="
        + owner
        + ", environment="
        + environment.configName()
        + ", scopes="
        + scopes
        + ", last4="
        + last4
        + ", createdAt="
        + createdAt
        + ", expiresAt="
        + expiresAt
        + ", revokedAt="
        + revokedAt
        + ", lastUsedAt="
        + lastUsedAt
        + "]";
  }
}
