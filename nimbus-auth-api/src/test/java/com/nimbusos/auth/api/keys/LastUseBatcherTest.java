package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.contract.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LastUseBatcherTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration NEVER = Duration.ofHours(1);

  /** Keeps every batch written; fails while {@link #down}. */
  private static final class RecordingStore extends InMemoryKeyStore {
    final List<Map<String, Instant>> batches = new CopyOnWriteArrayList<>();
    final Map<String, Instant> latest = new ConcurrentHashMap<>();
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean down;

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException {
      attempts.incrementAndGet();
      if (down) {
        throw new KeyStoreException("disk full");
      }
      batches.add(Map.copyOf(lastUsedByKeyId));
      latest.putAll(lastUsedByKeyId);
    }
  }

  private final RecordingStore store = new RecordingStore();

  private static KnownKey key(String id, long seed) {
    return KnownKey.of(TestRecords.record(id, seed));
  }

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void coalescesTheUsesOfABatchIntoOneWriteWithOneEntryPerKey() {
    KnownKey a = key("k_a", 1);
    KnownKey b = key("k_b", 2);
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER)) {
      uses.noteUse(a, at(1));
      uses.noteUse(a, at(2)); // noted once per batch: the first use stands for the batch
      uses.noteUse(b, at(3));
      assertEquals(2, uses.pending());
      uses.flush();
      assertEquals(List.of(Map.of("k_a", at(1), "k_b", at(3))), store.batches);
      uses.flush();
      assertEquals(1, store.batches.size(), "nothing used: nothing written");
    }
  }

  @Test
  void manyKeysWaitingAreWrittenAtOnceNotAtTheNextInterval() throws Exception {
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER)) {
      for (int i = 0; i < LastUseBatcher.EARLY_WRITE_KEYS - 1; i++) {
        uses.noteUse(key("k_" + i, i), at(1));
      }
      Thread.sleep(200);
      assertEquals(0, store.batches.size(), "below the bound: the interval's write");

      uses.noteUse(key("k_last", -1), at(2));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.batches.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, store.batches.size(), "one early write, an hour before the interval's");
      assertEquals(LastUseBatcher.EARLY_WRITE_KEYS, store.batches.get(0).size());
      assertEquals(0, uses.pending());
    }
  }

  @Test
  void aValidatorsLargerCacheRaisesTheBoundSoThatKeysItHoldsAreNotedOncePerInterval()
      throws Exception {
    int bound = LastUseBatcher.EARLY_WRITE_KEYS * 2;
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER, bound)) {
      for (int i = 0; i < bound - 1; i++) {
        uses.noteUse(key("k_" + i, i), at(1));
      }
      Thread.sleep(200);
      assertEquals(0, store.batches.size(), "past the least bound, below the cache's size");
      uses.noteUse(key("k_last", -1), at(2));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.batches.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(bound, store.batches.get(0).size());
    }
  }

  @Test
  void aStoreThatIsDownIsNotAskedAgainForEveryNewKeyBeyondTheBound() throws Exception {
    store.down = true;
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER)) {
      for (int i = 0; i < LastUseBatcher.EARLY_WRITE_KEYS; i++) {
        uses.noteUse(key("k_" + i, i), at(1));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.attempts.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(100); // the failure is noted after the store threw
      assertEquals(1, store.attempts.get(), "the early write was tried and failed");
      for (int i = 0; i < 1_000; i++) {
        uses.noteUse(key("k_more_" + i, i), at(2));
      }
      Thread.sleep(200);
      assertEquals(1, store.attempts.get(), "no write per new key while the store is down");
      assertEquals(LastUseBatcher.EARLY_WRITE_KEYS + 1_000, uses.pending(), "none lost");
      store.down = false;
    }
    assertEquals(LastUseBatcher.EARLY_WRITE_KEYS + 1_000, store.latest.size(), "close writes all");
  }

  @Test
  void aKeyUsedAgainAfterAWriteIsWrittenAgain() {
    KnownKey a = key("k_a", 1);
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER)) {
      uses.noteUse(a, at(1));
      uses.flush();
      uses.noteUse(a, at(2));
      uses.flush();
    }
    assertEquals(List.of(Map.of("k_a", at(1)), Map.of("k_a", at(2))), store.batches);
  }

  @Test
  void stampsUsesWithoutATimeWithTheClockAsOfTheLastTick() {
    MutableClock clock = new MutableClock(at(0));
    KnownKey a = key("k_a", 1);
    try (LastUseBatcher uses = new LastUseBatcher(store, clock, NEVER)) {
      clock.set(at(5));
      uses.noteUse(a);
      uses.flush();
      uses.tick();
      uses.noteUse(a);
      uses.flush();
    }
    assertEquals(List.of(Map.of("k_a", at(0)), Map.of("k_a", at(5))), store.batches);
  }

  @Test
  void aFailedWriteKeepsItsUsesAndANewerUseWinsAtTheNext() {
    KnownKey a = key("k_a", 1);
    KnownKey b = key("k_b", 2);
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER)) {
      uses.noteUse(a, at(1));
      uses.noteUse(b, at(1));
      store.down = true;
      uses.flush();
      assertEquals(2, uses.pending(), "kept for the next write");
      uses.noteUse(a, at(2)); // a new batch: noted again
      store.down = false;
      uses.flush();
    }
    assertEquals(List.of(Map.of("k_a", at(2), "k_b", at(1))), store.batches);
  }

  @Test
  void closeWritesWhatIsLeft() {
    LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), NEVER);
    uses.noteUse(key("k_a", 1), at(1));
    uses.close();
    assertEquals(List.of(Map.of("k_a", at(1))), store.batches);
    assertEquals(0, uses.pending());
  }

  @Test
  void writesByItselfEveryFlushInterval() throws Exception {
    try (LastUseBatcher uses = new LastUseBatcher(store, Clock.systemUTC(), Duration.ofMillis(5))) {
      uses.noteUse(key("k_a", 1), at(1));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (store.batches.isEmpty() && System.nanoTime() - deadline < 0) {
        Thread.sleep(1);
      }
      assertEquals(List.of(Map.of("k_a", at(1))), store.batches);
    }
  }

  /**
   * The background thread writes every millisecond while two request threads use their keys and
   * write too, then close() writes what is left: every key's last use is its very last one. A batch
   * counter that lost an increment between two writers would leave a key noted in a batch already
   * written, and its later uses unwritten.
   */
  @Test
  void losesNoUseWhenWritesRaceEachOtherAndClose() throws Exception {
    int uses = 5_000;
    LastUseBatcher batcher = new LastUseBatcher(store, Clock.systemUTC(), Duration.ofMillis(1));
    KnownKey[] keys = {key("k_0", 10), key("k_1", 11)};
    Thread[] threads = new Thread[keys.length];
    for (int t = 0; t < threads.length; t++) {
      KnownKey mine = keys[t];
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < uses; i++) {
                  batcher.noteUse(mine, at(i));
                  if (i % 3 == 0) {
                    batcher.flush();
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    batcher.close();
    for (KnownKey key : keys) {
      assertEquals(at(uses - 1), store.latest.get(key.keyId()), key.toString());
    }
  }
}
