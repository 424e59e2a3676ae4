package com.nimbusos.auth.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor every hashed-key check pays, hand-written: key bytes, SHA-256 (or HMAC-SHA256 under a
 * pepper), one map lookup, one constant-time compare. Nothing else: no format check, no audit, no
 * cache invalidation. The hash functions are per-thread instances created once ({@link Hashing}),
 * the cheapest way to call them.
 *
 * @param <V> what a hit returns (a principal)
 */
public final class Floor<V> {

  private final Map<ByteBuffer, Entry<V>> byHash;

  private record Entry<V>(byte[] hash, V value) {}

  private Floor(Map<ByteBuffer, Entry<V>> byHash) {
    this.byHash = byHash;
  }

  /** Builds the map from hashes made with {@code hashing} (call from one thread). */
  public static <V> Floor<V> of(
      String[] keys, java.util.function.IntFunction<V> value, Hashing hashing) {
    Map<ByteBuffer, Entry<V>> map = new HashMap<>(Math.max(16, keys.length * 4 / 3 + 1));
    for (int i = 0; i < keys.length; i++) {
      byte[] hash = hashing.hash(keys[i]);
      map.put(ByteBuffer.wrap(hash), new Entry<>(hash, value.apply(i)));
    }
    return new Floor<>(map);
  }

  /** The value of {@code key}, or {@code null}. */
  public V lookup(String key, Hashing hashing) {
    byte[] hash = hashing.hash(key);
    Entry<V> entry = byHash.get(ByteBuffer.wrap(hash));
    return entry != null && MessageDigest.isEqual(entry.hash, hash) ? entry.value : null;
  }

  /** A hash function instance; not thread-safe, keep one per thread. */
  public static final class Hashing {
    private final MessageDigest sha256;
    private final Mac hmac;

    private Hashing(MessageDigest sha256, Mac hmac) {
      this.sha256 = sha256;
      this.hmac = hmac;
    }

    /** SHA-256, or HMAC-SHA256 when {@code pepper} is not null. */
    public static Hashing create(byte[] pepper) {
      try {
        if (pepper == null) {
          return new Hashing(MessageDigest.getInstance("SHA-256"), null);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
        return new Hashing(null, mac);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] hash(String key) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      return sha256 != null ? sha256.digest(bytes) : hmac.doFinal(bytes);
    }
  }

  /** A thread-safe view: one {@link Hashing} per thread. */
  public static final class Shared<V> {
    private final Floor<V> floor;
    private final ThreadLocal<Hashing> hashing;

    public Shared(Floor<V> floor, byte[] pepper) {
      this.floor = floor;
      this.hashing = ThreadLocal.withInitial(() -> Hashing.create(pepper));
    }

    public V lookup(String key) {
      return floor.lookup(key, hashing.get());
    }
  }
}
