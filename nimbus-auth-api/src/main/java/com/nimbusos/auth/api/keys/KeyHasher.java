package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.PresentedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How keys are hashed at rest: SHA-256, or HMAC-SHA256 under a server-side pepper when one is
 * configured, so that a stolen key table cannot even be checked against guesses without the pepper.
 * Keys carry about 190 random bits, so a fast hash is enough: there is nothing to brute-force.
 * Thread-safe.
 */
public final class KeyHasher {

  private final byte[] pepper;

  /**
   * One hash function per thread, made once: {@code getInstance} (and, for HMAC, keying) on every
   * request would cost more than the hashing itself. Instances hold only JDK classes.
   */
  private final ThreadLocal<MessageDigest> sha256;

  private final ThreadLocal<Mac> hmac;

  private KeyHasher(byte[] pepper) {
    this.pepper = pepper;
    this.sha256 = pepper == null ? ThreadLocal.withInitial(KeyHasher::newSha256) : null;
    this.hmac = pepper == null ? null : ThreadLocal.withInitial(this::newHmac);
  }

  /** Plain SHA-256. */
  public static KeyHasher sha256() {
    return new KeyHasher(null);
  }

  /**
   * HMAC-SHA256 under {@code pepper}.
   *
   * @throws IllegalArgumentException if the pepper is shorter than 32 bytes
   */
  public static KeyHasher hmacSha256(byte[] pepper) {
    if (pepper == null || pepper.length < 32) {
      throw new IllegalArgumentException("a pepper needs at least 32 bytes");
    }
    return new KeyHasher(pepper.clone());
  }

  /** Whether a pepper is used. */
  public boolean isPeppered() {
    return pepper != null;
  }

  /**
   * The hash of {@code key}; for plain SHA-256, the key's own digest, computed once per request.
   */
  public byte[] hash(PresentedKey key) {
    return pepper == null ? key.sha256() : hash(key.value());
  }

  /** The hash of a key in clear (at creation). */
  public byte[] hash(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    // digest() and doFinal() reset the instance for the next call
    return pepper == null ? sha256.get().digest(bytes) : hmac.get().doFinal(bytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform supports SHA-256", e);
    }
  }

  private Mac newHmac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform supports HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return pepper == null
        ? "KeyHasher[SHA-256]"
        : "KeyHasher[HMAC-SHA256, pepper " + pepper.length + " bytes]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyHasher that && MessageDigest.isEqual(pepper, that.pepper);
  }

  @Override
  public int hashCode() {
    return pepper == null ? 0 : Arrays.hashCode(pepper);
  }
}
