package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The validation hot path over the JDBC store (H2, in memory, embedded): a cached hit for a valid
 * key, a negative-cache hit for an unknown one, an unknown key not cached (one query), the same
 * with every key indexed (no query), and the floor over the same keys. Set-up checks which of them
 * query.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class JdbcValidationBenchmark {

  static final int KEYS = 1000;

  BenchKeys fixture;
  StoreKeyValidator validator;

  /**
   * Remembers one unknown key only: each of the 1,024 in turn costs a query, as a flood of new ones
   * would.
   */
  StoreKeyValidator forgetful;

  /** Holds every key's hash: no unknown key costs a query. */
  StoreKeyValidator indexed;

  Floor<String> floor;

  /**
   * Each validator reads the one database through a counter of its own: what the set-up checks of
   * one is not muddled by another's background work (its first sync, which loads its index, may
   * come from its poller at any moment).
   */
  CountingDataSource database;

  CountingDataSource forgetfulDatabase;
  CountingDataSource indexedDatabase;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String name = "bench-" + System.nanoTime();
    database = h2(name);
    forgetfulDatabase = h2(name);
    indexedDatabase = h2(name);
    // Three views of one storage, as three instances of an application over one database are.
    JdbcKeyStore store = new JdbcKeyStore(database, name);
    KeyHasher hasher = KeyHasher.sha256();
    fixture = BenchKeys.seed(store, KEYS, hasher, 7);
    validator = StoreKeyValidator.over(store).hasher(hasher).build();
    forgetful =
        StoreKeyValidator.over(new JdbcKeyStore(forgetfulDatabase, name))
            .hasher(hasher)
            .negativeCacheSize(1)
            .build();
    indexed =
        StoreKeyValidator.over(new JdbcKeyStore(indexedDatabase, name))
            .hasher(hasher)
            .negativeCacheSize(1)
            .index(true)
            .build();
    floor = Floor.of(fixture.keys, i -> "owner-" + i, Floor.Hashing.create(null));
    for (int i = 0; i < KEYS; i++) {
      ValidationBenchmark.require(
          validator.validate(fixture.valid(i)) instanceof ValidationResult.Valid,
          "valid key refused");
    }
    for (int i = 0; i < fixture.unknown.length; i++) {
      ValidationBenchmark.require(
          validator.validate(fixture.unknown(i)) instanceof ValidationResult.Invalid,
          "unknown key accepted");
    }
    // Key reads only: each validator's poll reads the revision every 250 ms, more often the slower
    // the machine runs these loops.
    long before = database.keyReads();
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < KEYS; i++) {
        validator.validate(fixture.valid(i));
        validator.validate(fixture.unknown(i));
      }
    }
    long queries = database.keyReads() - before;
    ValidationBenchmark.require(
        queries == 0, "40,000 cached validations read keys " + queries + " times");
    before = indexedDatabase.keyReads();
    for (int i = 0; i < fixture.unknown.length; i++) {
      ValidationBenchmark.require(
          indexed.validate(fixture.unknown(i)) instanceof ValidationResult.Invalid,
          "unknown key accepted");
    }
    queries = indexedDatabase.keyReads() - before;
    // One read of every hash, unless its poller loaded the index first; the 1,024 unknown keys then
    // cost none.
    ValidationBenchmark.require(
        queries <= 1, "the index let unknown keys read the database " + queries + " times");
    before = forgetfulDatabase.keyReads();
    for (int i = 0; i < fixture.unknown.length; i++) {
      forgetful.validate(fixture.unknown(i));
    }
    queries = forgetfulDatabase.keyReads() - before;
    ValidationBenchmark.require(
        queries >= fixture.unknown.length, "uncached unknown keys did not query: " + queries);
  }

  private static CountingDataSource h2(String name) {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return new CountingDataSource(h2);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    validator.close();
    forgetful.close();
    indexed.close();
  }

  /** Per thread: where it is in the pools, and its own hash function for the floor. */
  @State(Scope.Thread)
  public static class Cursor {
    int valid;
    int unknown;
    Floor.Hashing hashing;

    @Setup(Level.Trial)
    public void setUp() {
      valid = ThreadLocalRandom.current().nextInt(KEYS);
      unknown = ThreadLocalRandom.current().nextInt(1024);
      hashing = Floor.Hashing.create(null);
    }

    int nextValid() {
      valid = valid + 1 == KEYS ? 0 : valid + 1;
      return valid;
    }

    int nextUnknown() {
      unknown = (unknown + 1) & 1023;
      return unknown;
    }
  }

  @Benchmark
  public String floor(Cursor cursor) {
    return floor.lookup(fixture.keys[cursor.nextValid()], cursor.hashing);
  }

  @Benchmark
  public ValidationResult cachedValid(Cursor cursor) throws KeyValidationException {
    return validator.validate(fixture.valid(cursor.nextValid()));
  }

  @Benchmark
  public ValidationResult cachedUnknown(Cursor cursor) throws KeyValidationException {
    return validator.validate(fixture.unknown(cursor.nextUnknown()));
  }

  /** A well-formed unknown key the validator has not seen lately: one query. */
  @Benchmark
  public ValidationResult uncachedUnknown(Cursor cursor) throws KeyValidationException {
    return forgetful.validate(fixture.unknown(cursor.nextUnknown()));
  }

  /** The same with every key indexed ({@code nimbus.auth.store.index=true}): no query. */
  @Benchmark
  public ValidationResult indexedUnknown(Cursor cursor) throws KeyValidationException {
    return indexed.validate(fixture.unknown(cursor.nextUnknown()));
  }
}
