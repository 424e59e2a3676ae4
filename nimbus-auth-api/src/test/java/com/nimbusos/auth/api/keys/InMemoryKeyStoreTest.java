package com.nimbusos.auth.api.keys;

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
}
