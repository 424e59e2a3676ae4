package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.keys.ApiKeyFormat;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.api.keys.KeyRecord;
import com.nimbusos.auth.api.keys.KeyStore;
import com.nimbusos.auth.api.keys.KeyStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Keys for the benchmarks: stores seeded with N keys, and pools of valid, unknown and bad-checksum
 * keys to present.
 *
 * <p>{@link KeyManager#create} costs ~10 µs a key here (mostly {@code SecureRandom}), 10 s for a
 * million, which every JMH fork would pay. So the keys are drawn from a seeded {@link
 * SplittableRandom} in the documented format (prefix, 32 base62, CRC32 as 6 base62; every key is
 * checked with {@link ApiKeyFormat#environmentIfChecksumValid}), and their records are made exactly
 * as {@link KeyManager} makes them: the real {@link KeyHasher}, a {@code key_} id, owner, scopes,
 * last 4, creation instant. The store is the real one, filled through {@link KeyStore#insert}.
 */
public final class BenchKeys {

  /** The scope every benchmark key carries. */
  public static final String SCOPE = "orders:read";

  /** A fixed pepper (32 bytes) for the HMAC runs. */
  public static final byte[] PEPPER =
      "bench-pepper-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8);

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int POOL = 1024;

  /** Keys in clear, as clients present them; index i is the key of {@code records[i]}. */
  public final String[] keys;

  /** Well-formed keys (right checksum) that no store knows. */
  public final String[] unknown;

  /** Keys whose checksum is wrong: refused before any hashing. */
  public final String[] badChecksum;

  /** The hasher the records were made with. */
  public final KeyHasher hasher;

  private BenchKeys(String[] keys, String[] unknown, String[] badChecksum, KeyHasher hasher) {
    this.keys = keys;
    this.unknown = unknown;
    this.badChecksum = badChecksum;
    this.hasher = hasher;
  }

  /**
   * Valid key {@code i} wrapped anew, as the engine wraps each request's header. Never keep a
   * {@link PresentedKey} across operations: it keeps its SHA-256 digest once computed, so a
   * benchmark presenting the same instance again would measure a validation without its hashing.
   */
  public PresentedKey valid(int i) {
    return PresentedKey.of(keys[i]);
  }

  /** Unknown key {@code i} wrapped anew (see {@link #valid}). */
  public PresentedKey unknown(int i) {
    return PresentedKey.of(unknown[i]);
  }

  /** Bad-checksum key {@code i} wrapped anew (see {@link #valid}). */
  public PresentedKey badChecksum(int i) {
    return PresentedKey.of(badChecksum[i]);
  }

  /** "sha256" or "hmac" (HMAC-SHA256 under {@link #PEPPER}). */
  public static KeyHasher hasher(String name) {
    return switch (name) {
      case "sha256" -> KeyHasher.sha256();
      case "hmac" -> KeyHasher.hmacSha256(PEPPER);
      default -> throw new IllegalArgumentException("hasher must be sha256 or hmac, was " + name);
    };
  }

  /**
   * {@code count} keys inserted into {@code store}; the first is created through {@link
   * KeyManager}, the real lifecycle, the others as described in the class comment.
   */
  public static BenchKeys seed(KeyStore store, int count, KeyHasher hasher, long seed)
      throws KeyStoreException {
    SplittableRandom random = new SplittableRandom(seed);
    String[] keys = new String[count];
    fill(store, count, hasher, random, (i, key) -> keys[i] = key);
    String[] unknown = new String[POOL];
    String[] bad = new String[POOL];
    for (int i = 0; i < POOL; i++) {
      unknown[i] = wellFormed(Environment.PRODUCTION, random);
      bad[i] = withBadChecksum(wellFormed(Environment.PRODUCTION, random));
    }
    return new BenchKeys(keys, unknown, bad, hasher);
  }

  /** Receives each key put in a store, with its index. */
  @FunctionalInterface
  public interface KeySink {
    void accept(int index, String key);
  }

  /**
   * Inserts {@code count} keys into {@code store}, handing each to {@code sink} (which may drop
   * it): the first through {@link KeyManager#create}, the others made from {@code random} as
   * described above.
   */
  public static void fill(
      KeyStore store, int count, KeyHasher hasher, SplittableRandom random, KeySink sink)
      throws KeyStoreException {
    CreatedKey first =
        new KeyManager(store, hasher)
            .create("partner-0", Environment.PRODUCTION, Set.of(SCOPE), null);
    sink.accept(0, first.key());
    for (int i = 1; i < count; i++) {
      String key = wellFormed(Environment.PRODUCTION, random);
      store.insert(record(key, hasher, "partner-" + (i % 10_000), Instant.now(), random));
      sink.accept(i, key);
    }
  }

  /** An in-memory store with {@code count} keys. */
  public static BenchKeys inMemory(int count, KeyHasher hasher, InMemoryKeyStore store)
      throws KeyStoreException {
    return seed(store, count, hasher, 42L + count);
  }

  /** A record as {@link KeyManager#create} makes it. */
  public static KeyRecord record(
      String key, KeyHasher hasher, String owner, Instant createdAt, SplittableRandom random) {
    byte[] id = new byte[8];
    for (int b = 0; b < id.length; b++) {
      id[b] = (byte) random.nextInt(256);
    }
    return new KeyRecord(
        "key_" + HexFormat.of().formatHex(id),
        hasher.hash(key),
        owner,
        Environment.PRODUCTION,
        Set.of(SCOPE),
        ApiKeyFormat.last4(key),
        createdAt,
        null,
        null,
        null);
  }

  /**
   * A key in the documented format, checked against {@link
   * ApiKeyFormat#environmentIfChecksumValid}.
   */
  public static String wellFormed(Environment environment, SplittableRandom random) {
    StringBuilder key = new StringBuilder(ApiKeyFormat.KEY_LENGTH).append(environment.keyPrefix());
    for (int i = 0; i < ApiKeyFormat.SECRET_LENGTH; i++) {
      key.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    CRC32 crc = new CRC32();
    crc.update(key.toString().getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[ApiKeyFormat.CHECKSUM_LENGTH];
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    String result = key.append(digits).toString();
    if (ApiKeyFormat.environmentIfChecksumValid(result).orElse(null) != environment) {
      throw new IllegalStateException(
          "the benchmark's key generator no longer matches ApiKeyFormat");
    }
    return result;
  }

  /** The key with its last checksum character changed, so that the checksum fails. */
  public static String withBadChecksum(String key) {
    char last = key.charAt(key.length() - 1);
    String bad = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    if (ApiKeyFormat.environmentIfChecksumValid(bad).isPresent()) {
      throw new IllegalStateException("a bad-checksum key passed the checksum");
    }
    return bad;
  }
}
