package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.BoundedKeyCache;
import com.nimbusos.auth.api.keys.CompactKeyIndex;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyRecord;
import com.nimbusos.auth.api.keys.KeyStoreException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lookup structures alone, hashes computed beforehand: the {@link CompactKeyIndex} (sorted
 * primitive arrays, a record made on a hit), the {@link InMemoryKeyStore}'s map of records, and a
 * plain {@code HashMap<ByteBuffer, byte[]>} (the floor's structure), over the same N random hashes.
 * Each operation looks up the next of the N hashes (a working set of N, cache misses included) or
 * one of 1,024 unknown ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class KeyIndexBenchmark {

  @Param({"10000", "1000000"})
  public int keys;

  byte[][] hashes;
  byte[][] unknown;
  CompactKeyIndex index;
  InMemoryKeyStore store;
  Map<ByteBuffer, byte[]> floor;

  /** The validator's cache as it is: unbounded, one map entry per key in use. */
  Map<ByteBuffer, KeyRecord> unboundedCache;

  /** A bounded cache with room for every key (twice the keys, four ways a hash). */
  BoundedKeyCache<CachedRecord> roomyCache;

  /** A bounded cache with room for a quarter of the keys: most lookups miss and evict. */
  BoundedKeyCache<CachedRecord> smallCache;

  /**
   * A record as a cache entry, laid out as the validator's own ({@code KnownKey}, package-private
   * to it): the hash in four longs, compared where it is in constant time, so that a hit reads the
   * slot and the entry and nothing else of the key.
   */
  static final class CachedRecord extends BoundedKeyCache.Entry {
    final KeyRecord record;
    private final long hash0;
    private final long hash1;
    private final long hash2;
    private final long hash3;

    CachedRecord(KeyRecord record) {
      this.record = record;
      ByteBuffer hash = ByteBuffer.wrap(record.hash());
      this.hash0 = hash.getLong(0);
      this.hash1 = hash.getLong(8);
      this.hash2 = hash.getLong(16);
      this.hash3 = hash.getLong(24);
    }

    @Override
    protected boolean hashEquals(byte[] candidate) {
      if (candidate.length != 32) {
        return false;
      }
      ByteBuffer other = ByteBuffer.wrap(candidate);
      long difference =
          (hash0 ^ other.getLong(0))
              | (hash1 ^ other.getLong(8))
              | (hash2 ^ other.getLong(16))
              | (hash3 ^ other.getLong(24));
      return difference == 0;
    }

    @Override
    protected long hashBits() {
      return hash1;
    }

    @Override
    protected byte[] hash() {
      return ByteBuffer.allocate(32)
          .putLong(hash0)
          .putLong(hash1)
          .putLong(hash2)
          .putLong(hash3)
          .array();
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws KeyStoreException {
    SplittableRandom random = new SplittableRandom(7 + keys);
    hashes = new byte[keys][];
    CompactKeyIndex.Builder builder = CompactKeyIndex.builder(keys);
    store = new InMemoryKeyStore();
    floor = new HashMap<>(keys * 2);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < keys; i++) {
      hashes[i] = random(random);
      KeyRecord record =
          new KeyRecord(
              String.format("key_%016x", random.nextLong()),
              hashes[i],
              "partner-" + (i % 10_000),
              Environment.PRODUCTION,
              Set.of(BenchKeys.SCOPE),
              "Ab9z",
              created,
              null,
              null,
              null);
      builder.add(record);
      store.insert(record);
      floor.put(ByteBuffer.wrap(hashes[i]), hashes[i]);
    }
    index = builder.build();
    unboundedCache = new ConcurrentHashMap<>();
    roomyCache = new BoundedKeyCache<>(keys * 2);
    smallCache = new BoundedKeyCache<>(Math.max(2, keys / 4));
    for (int i = 0; i < keys; i++) {
      KeyRecord record = index.findByHash(hashes[i]).orElseThrow();
      unboundedCache.put(ByteBuffer.wrap(hashes[i]), record);
      roomyCache.put(new CachedRecord(record));
    }
    unknown = new byte[1024][];
    for (int i = 0; i < unknown.length; i++) {
      unknown[i] = random(random);
    }
    for (int i = 0; i < keys; i += Math.max(1, keys / 1000)) {
      ValidationBenchmark.require(
          index.contains(hashes[i]) && store.findByHash(hashes[i]).isPresent(), "a key is missing");
    }
    ValidationBenchmark.require(!index.contains(unknown[0]), "an unknown key was found");
  }

  private static byte[] random(SplittableRandom random) {
    byte[] hash = new byte[32];
    for (int i = 0; i < 32; i += 8) {
      long value = random.nextLong();
      for (int b = 0; b < 8; b++) {
        hash[i + b] = (byte) (value >>> (8 * b));
      }
    }
    return hash;
  }

  /** Per thread: where it is in each pool. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
    int nextUnknown;

    byte[] next(KeyIndexBenchmark b) {
      next = next + 1 == b.keys ? 0 : next + 1;
      return b.hashes[next];
    }

    byte[] unknown(KeyIndexBenchmark b) {
      nextUnknown = (nextUnknown + 1) & 1023;
      return b.unknown[nextUnknown];
    }
  }

  @Benchmark
  public boolean indexContains(Cursor cursor) {
    return index.contains(cursor.next(this));
  }

  @Benchmark
  public Optional<KeyRecord> indexRecord(Cursor cursor) {
    return index.findByHash(cursor.next(this));
  }

  @Benchmark
  public boolean indexUnknown(Cursor cursor) {
    return index.contains(cursor.unknown(this));
  }

  @Benchmark
  public Optional<KeyRecord> storeRecord(Cursor cursor) throws KeyStoreException {
    return store.findByHash(cursor.next(this));
  }

  @Benchmark
  public KeyRecord cacheUnbounded(Cursor cursor) {
    return unboundedCache.get(ByteBuffer.wrap(cursor.next(this)));
  }

  /**
   * A lookup in a bounded cache with room for all keys; a miss (four ways taken) reloads from the
   * index.
   */
  @Benchmark
  public KeyRecord cacheBounded(Cursor cursor) {
    return getOrLoad(roomyCache, cursor.next(this));
  }

  /** The same with room for a quarter of the keys: eviction on most lookups. */
  @Benchmark
  public KeyRecord cacheBoundedEvicting(Cursor cursor) {
    return getOrLoad(smallCache, cursor.next(this));
  }

  private KeyRecord getOrLoad(BoundedKeyCache<CachedRecord> cache, byte[] hash) {
    CachedRecord cached = cache.get(hash);
    if (cached == null) {
      KeyRecord record = index.findByHash(hash).orElse(null);
      if (record == null) {
        return null;
      }
      cached = new CachedRecord(record);
      cache.put(cached);
    }
    return cached.record;
  }

  @Benchmark
  public byte[] floorMap(Cursor cursor) {
    return floor.get(ByteBuffer.wrap(cursor.next(this)));
  }
}
