package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyRecord;
import com.nimbusos.auth.api.keys.KeyStoreException;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The validation hot path: {@link StoreKeyValidator#validate} over an {@link InMemoryKeyStore} of
 * {@code keys} keys, for a valid key (cached, as every key after its first request), a well-formed
 * unknown key (negative cache) and a key with a bad checksum (refused before hashing); and, in the
 * same run and over the same keys, the {@link Floor}: key bytes, SHA-256 (or HMAC-SHA256 with a
 * pepper), one map lookup, one constant-time compare.
 *
 * <p>Each operation presents the next key of a pool (all {@code keys} valid keys, shuffled by their
 * randomness; 1,024 unknown and 1,024 bad keys), so that a million keys means a million-entry
 * working set, cache misses included, for the validator and the floor alike. Each operation wraps
 * the key in a new {@link com.nimbusos.auth.api.PresentedKey}, as the engine does for each request:
 * a {@code PresentedKey} keeps its digest, and until this was fixed the pool held one instance per
 * key, so the validator was measured without its SHA-256 against a floor that hashed every time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ValidationBenchmark {

  @Param({"1", "1000", "100000", "1000000"})
  public int keys;

  @Param({"sha256", "hmac"})
  public String hashing;

  BenchKeys fixture;
  StoreKeyValidator validator;
  Floor<String> floor;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    KeyHasher hasher = BenchKeys.hasher(hashing);
    InMemoryKeyStore store = new InMemoryKeyStore();
    fixture = BenchKeys.inMemory(keys, hasher, store);
    recordUsesSpreadOverTheLast(store, Duration.ofSeconds(8));
    StoreKeyValidator.Builder builder = StoreKeyValidator.over(store).hasher(hasher);
    if (params.getBenchmark().endsWith(".validSizedCache")) {
      // nimbus.auth.store.cache-keys at four times the keys in use, as docs/configuration.md
      // advises
      builder.cacheSize(Math.max(4 * keys, NimbusAuthConfig.DEFAULT_STORE_CACHE_KEYS));
    }
    validator = builder.build();
    floor = Floor.of(fixture.keys, i -> "owner-" + i, Floor.Hashing.create(pepper()));
    // Every key validated once: the steady state, where each known key is in the validator's cache.
    for (int i = 0; i < fixture.keys.length; i++) {
      require(
          validator.validate(fixture.valid(i)) instanceof ValidationResult.Valid,
          "valid key refused");
    }
    Floor.Hashing hashingForCheck = Floor.Hashing.create(pepper());
    require(
        floor.lookup(fixture.keys[keys - 1], hashingForCheck) != null, "floor misses a valid key");
    require(
        floor.lookup(fixture.unknown[0], hashingForCheck) == null, "floor finds an unknown key");
    require(
        validator.validate(fixture.unknown(0)) instanceof ValidationResult.Invalid u
            && u.reason() == InvalidReason.UNKNOWN,
        "unknown key not refused as UNKNOWN");
    require(
        validator.validate(fixture.badChecksum(0)) instanceof ValidationResult.Invalid b
            && b.reason() == InvalidReason.MALFORMED,
        "bad-checksum key not refused as MALFORMED");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    validator.close();
  }

  /**
   * Records a last use of every key at an instant drawn evenly from the last {@code span}, as in a
   * service whose keys are in use: a validator then records a key's use again when the recorded one
   * is a flush interval (10 s) old, and those writes spread over time as they do in service.
   * Without it the set-up's validation of every key records every use in the same second, and a
   * flush interval later all of them fall due together, in the middle of the measurement. The span
   * is shorter than the interval by more than the set-up's validation takes, so that none is due
   * during it.
   */
  private static void recordUsesSpreadOverTheLast(InMemoryKeyStore store, Duration span)
      throws KeyStoreException {
    Instant now = Instant.now();
    SplittableRandom random = new SplittableRandom(11);
    Map<String, Instant> uses = new HashMap<>();
    for (KeyRecord record : store.list()) {
      uses.put(record.keyId(), now.minusMillis(random.nextLong(span.toMillis())));
      if (uses.size() == 100_000) {
        store.recordLastUsed(uses);
        uses.clear();
      }
    }
    store.recordLastUsed(uses);
  }

  byte[] pepper() {
    return hashing.equals("hmac") ? BenchKeys.PEPPER : null;
  }

  /** Per thread: where it is in each pool, and its own hash function for the floor. */
  @State(Scope.Thread)
  public static class Cursor {
    int valid;
    int unknown;
    int bad;
    Floor.Hashing hashing;

    @Setup(Level.Trial)
    public void setUp(ValidationBenchmark benchmark) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      valid = random.nextInt(benchmark.keys);
      unknown = random.nextInt(benchmark.fixture.unknown.length);
      bad = random.nextInt(benchmark.fixture.badChecksum.length);
      hashing = Floor.Hashing.create(benchmark.pepper());
    }

    int nextValid(int size) {
      int i = valid + 1;
      valid = i == size ? 0 : i;
      return valid;
    }

    int nextUnknown() {
      unknown = (unknown + 1) & 1023;
      return unknown;
    }

    int nextBad() {
      bad = (bad + 1) & 1023;
      return bad;
    }
  }

  @Benchmark
  public String floor(Cursor cursor) {
    return floor.lookup(fixture.keys[cursor.nextValid(keys)], cursor.hashing);
  }

  @Benchmark
  public String floorUnknown(Cursor cursor) {
    return floor.lookup(fixture.unknown[cursor.nextUnknown()], cursor.hashing);
  }

  @Benchmark
  public ValidationResult valid(Cursor cursor) throws KeyValidationException {
    return validator.validate(fixture.valid(cursor.nextValid(keys)));
  }

  /**
   * {@link #valid} with the validator's cache sized for the keys in use (four slots a key): what a
   * deployment with more keys in use than the default bound buys with ≈ 200 bytes a key.
   */
  @Benchmark
  public ValidationResult validSizedCache(Cursor cursor) throws KeyValidationException {
    return validator.validate(fixture.valid(cursor.nextValid(keys)));
  }

  @Benchmark
  public ValidationResult unknown(Cursor cursor) throws KeyValidationException {
    return validator.validate(fixture.unknown(cursor.nextUnknown()));
  }

  @Benchmark
  public ValidationResult badChecksum(Cursor cursor) throws KeyValidationException {
    return validator.validate(fixture.badChecksum(cursor.nextBad()));
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
