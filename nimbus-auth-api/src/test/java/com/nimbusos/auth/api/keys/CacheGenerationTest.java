package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CacheGenerationTest {

  @Test
  void hasNotMovedUntilItIsAdvanced() {
    CacheGeneration generation = new CacheGeneration();
    long seen = generation.current();
    assertFalse(generation.movedSince(seen));
    long next = generation.advance();
    assertEquals(generation.current(), next);
    assertTrue(generation.movedSince(seen));
    assertFalse(generation.movedSince(next));
  }

  @Test
  void everyAdvanceIsANewGenerationEvenFromManyThreadsAtOnce() throws Exception {
    CacheGeneration generation = new CacheGeneration();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  generation.advance();
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(40_000, generation.current());
  }
}
