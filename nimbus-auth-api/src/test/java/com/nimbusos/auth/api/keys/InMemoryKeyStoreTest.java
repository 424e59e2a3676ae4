package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryKeyStoreTest extends KeyStoreContract {

  @Override
  protected KeyStore newStore() {
    return new InMemoryKeyStore();
  }

  /** In memory, storage is the object itself. */
  @Override
  protected KeyStore anotherViewOfTheSameStorage() {
    return store;
  }

  /**
   * A validator's batch of last uses can name every key its cache holds; written under one lock, it
   * held every lookup (each cache miss) until the last use was noted. Midway through a batch of two
   * lock-fulls, another thread looks a key up: it must get its answer before the batch goes on.
   */
  @Test
  void aLongBatchOfLastUsesLetsLookupsThroughBetweenItsParts() throws Exception {
    InMemoryKeyStore memory = new InMemoryKeyStore();
    int uses = 2 * InMemoryKeyStore.USES_PER_LOCK;
    List<Map.Entry<String, Instant>> entries = new ArrayList<>();
    for (int i = 0; i < uses; i++) {
      memory.insert(TestRecords.record("k_" + i, i));
      entries.add(Map.entry("k_" + i, Instant.parse("2026-05-01T00:00:00Z").plusSeconds(i)));
    }
    byte[] looked = TestRecords.record("k_7", 7).hash();
    CountDownLatch answered = new CountDownLatch(1);
    boolean[] answeredMidway = {false};
    Map<String, Instant> batch =
        new AbstractMap<>() {
          @Override
          public Set<Map.Entry<String, Instant>> entrySet() {
            return new AbstractSet<>() {
              @Override
              public int size() {
                return uses;
              }

              @Override
              public Iterator<Map.Entry<String, Instant>> iterator() {
                return new Iterator<>() {
                  private int next;
                  private boolean asked;

                  @Override
                  public boolean hasNext() {
                    if (next == InMemoryKeyStore.USES_PER_LOCK && !asked) {
                      asked = true;
                      Thread reader =
                          new Thread(
                              () -> {
                                try {
                                  memory.findByHash(looked).orElseThrow();
                                  answered.countDown();
                                } catch (KeyStoreException e) {
                                  throw new IllegalStateException(e);
                                }
                              });
                      reader.start();
                      try {
                        answeredMidway[0] = answered.await(5, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                    return next < uses;
                  }

                  @Override
                  public Map.Entry<String, Instant> next() {
                    return entries.get(next++);
                  }
                };
              }
            };
          }
        };
    memory.recordLastUsed(batch);
    assertTrue(answeredMidway[0], "a lookup waited for the whole batch");
    assertTrue(
        memory.findById("k_" + (uses - 1)).orElseThrow().lastUsedAt() != null, "the batch went on");
  }

  /**
   * Last uses are written beside lookups (under the read lock) by an atomic maximum: two batches
   * written at once, one of later uses, one of earlier, over keys compacted into the store's index,
   * must leave each key's latest use, whatever the interleaving; uses beyond what nanoseconds hold
   * (taken under the write lock) must order with them.
   */
  @Test
  void usesWrittenAtOnceLeaveEachKeysLatestUse() throws Exception {
    InMemoryKeyStore memory = new InMemoryKeyStore();
    int keys = 10_000; // past a compaction: most keys sit in the index, not as objects
    for (int i = 0; i < keys; i++) {
      memory.insert(TestRecords.record("k_" + i, i));
    }
    Instant base = Instant.parse("2026-05-01T00:00:00Z");
    int rounds = 20;
    java.util.concurrent.ExecutorService writers =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        Map<String, Instant> later = new java.util.HashMap<>();
        Map<String, Instant> earlier = new java.util.HashMap<>();
        for (int i = 0; i < keys; i++) {
          later.put("k_" + i, base.plusSeconds(2L * round + 1).plusNanos(i));
          earlier.put("k_" + i, base.plusSeconds(2L * round).plusNanos(i));
        }
        CountDownLatch start = new CountDownLatch(1);
        java.util.concurrent.Future<?> a =
            writers.submit(
                () -> {
                  start.await();
                  memory.recordLastUsed(later);
                  return null;
                });
        java.util.concurrent.Future<?> b =
            writers.submit(
                () -> {
                  start.await();
                  memory.recordLastUsed(earlier);
                  return null;
                });
        start.countDown();
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
    }
    for (int i = 0; i < keys; i++) {
      assertEquals(
          base.plusSeconds(2L * rounds - 1).plusNanos(i),
          memory.findById("k_" + i).orElseThrow().lastUsedAt(),
          "k_" + i);
    }
    Instant far = Instant.parse("2300-01-01T00:00:00Z"); // beyond nanoseconds in a long
    memory.recordLastUsed(Map.of("k_1", far));
    memory.recordLastUsed(Map.of("k_1", base, "k_2", base.plusSeconds(10_000)));
    assertEquals(far, memory.findById("k_1").orElseThrow().lastUsedAt());
    assertEquals(base.plusSeconds(10_000), memory.findById("k_2").orElseThrow().lastUsedAt());
  }
}
