package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompactKeyIndexTest {

  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456789Z");

  private static byte[] randomHash(SplittableRandom random) {
    byte[] hash = new byte[32];
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) random.nextInt(256);
    }
    return hash;
  }

  private static KeyRecord record(String id, byte[] hash, String owner, Set<String> scopes) {
    return new KeyRecord(
        id, hash, owner, Environment.PRODUCTION, scopes, "Ab9z", CREATED, null, null, null);
  }

  private static List<KeyRecord> records(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<KeyRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(
          record(
              String.format("key_%016x", random.nextLong()),
              randomHash(random),
              "partner-" + (i % 7),
              i % 2 == 0 ? Set.of("orders:read") : Set.of("orders:read", "orders:write")));
    }
    return records;
  }

  @Test
  void findsEveryRecordByHashAndByIdExactlyAsItWasAdded() {
    List<KeyRecord> records = records(5_000, 1);
    CompactKeyIndex index = CompactKeyIndex.of(records);
    assertEquals(5_000, index.size());
    for (KeyRecord record : records) {
      assertEquals(record, index.findByHash(record.hash()).orElseThrow());
      assertEquals(record, index.findById(record.keyId()).orElseThrow());
    }
  }

  /**
   * Lookups by id guess where a packed id falls, which suits random ids; ids that defeat the guess
   * (clustered, sequential, at both ends of the unsigned range, mixed with ids kept as text) must
   * be found all the same, and ids between them, below and above them must find nothing.
   */
  @Test
  void findsIdsThatDefeatTheGuessAndNothingBetweenThem() {
    SplittableRandom random = new SplittableRandom(5);
    List<KeyRecord> records = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (long i = 0; i < 3_000; i++) { // three clusters: sequential, sparse, at the top
      long id = i < 1_000 ? 2 * i + 2 : i < 2_000 ? (i << 40) : -2 - 2 * (i - 2_000);
      records.add(record(String.format("key_%016x", id), randomHash(random), "p", Set.of("r")));
      absent.add(String.format("key_%016x", id + 1));
    }
    records.add(record("key_0000000000000000", randomHash(random), "p", Set.of("r")));
    records.add(record("key_ffffffffffffffff", randomHash(random), "p", Set.of("r")));
    records.add(record("key_8000000000000000", randomHash(random), "p", Set.of("r"))); // as text
    records.add(record("imported-1", randomHash(random), "p", Set.of("r")));
    records.add(record("imported-2", randomHash(random), "p", Set.of("r")));
    CompactKeyIndex index = CompactKeyIndex.of(records);
    for (KeyRecord record : records) {
      assertEquals(record, index.findById(record.keyId()).orElseThrow(), record.keyId());
    }
    absent.remove("key_ffffffffffffffff");
    absent.remove("key_0000000000000000");
    for (String id : absent) {
      assertTrue(index.findById(id).isEmpty(), id);
    }
    assertTrue(index.findById("key_7fffffffffffffff").isEmpty());
    assertTrue(index.findById("imported-0").isEmpty());
    assertTrue(index.findById("imported-3").isEmpty());
  }

  @Test
  void refusesHashesAndIdsItDoesNotHold() {
    CompactKeyIndex index = CompactKeyIndex.of(records(1_000, 2));
    SplittableRandom other = new SplittableRandom(99);
    for (int i = 0; i < 1_000; i++) {
      assertFalse(index.contains(randomHash(other)));
    }
    assertFalse(index.contains(new byte[31]));
    assertFalse(index.contains(null));
    assertTrue(index.findById("key_0000000000000000").isEmpty());
    assertTrue(index.findById("some-other-id").isEmpty());
  }

  @Test
  void keepsEveryFieldOfUnusualRecords() {
    SplittableRandom random = new SplittableRandom(3);
    KeyRecord odd =
        new KeyRecord(
            "imported-key-7",
            randomHash(random),
            "owner ü",
            Environment.SANDBOX,
            Set.of(),
            "ÿ€x",
            Instant.parse("2300-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Instant.parse("2026-06-01T00:00:00.5Z"),
            Instant.parse("2026-05-01T00:00:00Z"));
    KeyRecord edge =
        new KeyRecord(
            "key_8000000000000000",
            randomHash(random),
            "o",
            Environment.PRODUCTION,
            Set.of("a"),
            "\u0000abc",
            Instant.EPOCH,
            null,
            null,
            null);
    List<KeyRecord> all = new ArrayList<>(records(100, 4));
    all.add(odd);
    all.add(edge);
    CompactKeyIndex index = CompactKeyIndex.of(all);
    assertEquals(odd, index.findById("imported-key-7").orElseThrow());
    assertEquals(odd, index.findByHash(odd.hash()).orElseThrow());
    assertEquals(edge, index.findById("key_8000000000000000").orElseThrow());
    assertEquals(new HashSet<>(all), new HashSet<>(index.records()));
  }

  @Test
  void hashesMadeToShareTheirTopBitsAreStillFoundByHalving() {
    SplittableRandom random = new SplittableRandom(5);
    List<KeyRecord> records = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      byte[] hash = randomHash(random);
      hash[0] = 0x42; // all in one run of the directory
      hash[1] = 0x42;
      hash[2] = 0x42;
      hash[3] = 0x42;
      records.add(record("key_" + String.format("%016x", i), hash, "o", Set.of("s")));
    }
    CompactKeyIndex index = CompactKeyIndex.of(records);
    for (KeyRecord record : records) {
      assertTrue(index.contains(record.hash()));
    }
  }

  @Test
  void hashesMadeToShareTheirFirstEightBytesAreSortedByTheRest() {
    SplittableRandom random = new SplittableRandom(7);
    List<KeyRecord> records = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      byte[] hash = randomHash(random);
      if (i % 2 == 0) {
        Arrays.fill(hash, 0, 8, (byte) 0x17); // the radix sort's whole key, equal for half of them
      }
      records.add(record("key_" + String.format("%016x", i), hash, "o", Set.of("s")));
    }
    CompactKeyIndex index = CompactKeyIndex.of(records);
    for (KeyRecord record : records) {
      assertEquals(record, index.findByHash(record.hash()).orElseThrow());
    }
    byte[] absent = records.get(0).hash();
    absent[31] ^= 1;
    assertFalse(index.contains(absent));
  }

  @Test
  void refusesTwoKeysWithOneHashOrOneId() {
    SplittableRandom random = new SplittableRandom(6);
    byte[] hash = randomHash(random);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CompactKeyIndex.of(
                List.of(
                    record("key_0000000000000001", hash, "o", Set.of()),
                    record("key_0000000000000002", hash, "o", Set.of()))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CompactKeyIndex.of(
                List.of(
                    record("key_0000000000000001", randomHash(random), "o", Set.of()),
                    record("key_0000000000000001", randomHash(random), "o", Set.of()))));
  }

  @Test
  void anEmptyIndexHoldsNothing() {
    CompactKeyIndex index = CompactKeyIndex.of(List.of());
    assertEquals(0, index.size());
    assertFalse(index.contains(new byte[32]));
    assertTrue(index.findById("key_0000000000000001").isEmpty());
  }
}
