package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnknownKeyCacheTest {

  private final CacheGeneration generation = new CacheGeneration();

  private static HashKey hash(long seed) {
    return new HashKey(TestRecords.hash(seed));
  }

  @Test
  void remembersAHashTheStoreDidNotHave() {
    UnknownKeyCache cache = new UnknownKeyCache(10, generation);
    cache.remember(hash(1), generation.current());
    assertTrue(cache.contains(hash(1)), "an equal hash, not the same object");
    assertFalse(cache.contains(hash(2)));
  }

  @Test
  void forgetsEverythingWhenTheStoreChanges() {
    UnknownKeyCache cache = new UnknownKeyCache(10, generation);
    cache.remember(hash(1), generation.current());
    cache.remember(hash(2), generation.current());
    generation.advance();
    cache.forgetAll();
    assertFalse(cache.contains(hash(1)), "a key unknown before a change may exist after it");
    assertFalse(cache.contains(hash(2)));
    assertEquals(0, cache.size());
  }

  @Test
  void doesNotKeepAnAnswerReadBeforeAChange() {
    UnknownKeyCache cache = new UnknownKeyCache(10, generation);
    long before = generation.current(); // the lookup starts, then the key is created...
    generation.advance();
    cache.forgetAll(); // ...and the change is told before the lookup's answer is remembered
    cache.remember(hash(1), before);
    assertFalse(cache.contains(hash(1)), "the new key would be refused until the next change");
  }

  @Test
  void neverHoldsMoreThanItsCapacityAndKeepsTheLatest() {
    UnknownKeyCache cache = new UnknownKeyCache(100, generation);
    for (int i = 0; i < 10_000; i++) {
      cache.remember(hash(i), generation.current());
      assertTrue(cache.size() <= 100, "size " + cache.size() + " at " + i);
    }
    assertTrue(cache.contains(hash(9_999)));
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThrows(IllegalArgumentException.class, () -> new UnknownKeyCache(0, generation));
  }

  @Test
  void showsItsSizeNeverAHash() {
    UnknownKeyCache cache = new UnknownKeyCache(10, generation);
    cache.remember(hash(1), generation.current());
    assertEquals("UnknownKeyCache[1 of 10]", cache.toString());
  }
}
