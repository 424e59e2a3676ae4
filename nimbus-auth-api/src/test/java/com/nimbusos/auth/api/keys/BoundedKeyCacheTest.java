package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoundedKeyCacheTest {

  private static byte[] hash(SplittableRandom random) {
    byte[] hash = new byte[32];
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) random.nextInt(256);
    }
    return hash;
  }

  @Test
  void returnsWhatWasPutForAnEqualHash() {
    BoundedKeyCache<String> cache = new BoundedKeyCache<>(1024);
    SplittableRandom random = new SplittableRandom(1);
    byte[] hash = hash(random);
    cache.put(hash, "a");
    assertEquals("a", cache.get(hash.clone()));
    assertNull(cache.get(hash(random)));
    cache.put(hash, "b");
    assertEquals("b", cache.get(hash));
    assertEquals(1, cache.size());
  }

  @Test
  void neverHoldsMoreThanItsCapacityHoweverManyHashesPassThrough() {
    BoundedKeyCache<Integer> cache = new BoundedKeyCache<>(1000);
    assertEquals(1024, cache.capacity());
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 100_000; i++) {
      cache.put(hash(random), i);
    }
    assertTrue(cache.size() <= 1024);
    assertTrue(cache.size() > 950, "four ways per hash fill nearly every slot: " + cache.size());
    BoundedKeyCache<Integer> large = new BoundedKeyCache<>(1 << 16);
    for (int i = 0; i < 200_000; i++) {
      large.put(hash(random), i);
    }
    assertTrue(
        large.size() <= 1 << 16 && large.size() > 50_000, "grown to its capacity: " + large.size());
    large.clear();
    assertEquals(0, large.size());
  }

  @Test
  void growsAsKeysArriveAndKeepsWhatItHeld() {
    BoundedKeyCache<Integer> cache = new BoundedKeyCache<>(1 << 20);
    SplittableRandom random = new SplittableRandom(7);
    byte[][] hashes = new byte[5_000][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = hash(random);
      cache.put(hashes[i], i);
    }
    int kept = 0;
    for (int i = 0; i < hashes.length; i++) {
      Integer value = cache.get(hashes[i]);
      if (value != null) {
        assertEquals(i, value);
        kept++;
      }
    }
    assertTrue(kept > 4_900, "far below its capacity, nearly every key stays: " + kept);
  }

  @Test
  void keepsAnEntryInUseOverOneThatWasNot() {
    BoundedKeyCache<Integer> cache =
        new BoundedKeyCache<>(BoundedKeyCache.WAYS); // one set: every hash competes
    SplittableRandom random = new SplittableRandom(3);
    byte[] hot = hash(random);
    cache.put(hot, 0);
    for (int i = 1; i <= 1000; i++) {
      cache.put(hash(random), i);
      assertEquals(0, cache.get(hot), "the hash used after every insertion stays");
    }
  }

  /**
   * Four hashes of one slot, in a cache at its full size (so that it cannot grow out of the
   * collision): each stays, however they take turns. With two ways per hash, three of them evicted
   * each other on every round, each a query per request, for as long as the cache lived.
   */
  @Test
  void keepsFourHashesOfOneSlot() {
    int capacity = 1 << 12; // starts at its full size: it cannot grow
    BoundedKeyCache<Integer> cache = new BoundedKeyCache<>(capacity, 42);
    byte[][] colliding = hashesOfOneSlot(cache, capacity, 5);
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 4; i++) {
        if (cache.get(colliding[i]) == null) {
          assertEquals(0, round, "hash " + i + " evicted in round " + round);
          cache.put(colliding[i], i);
        }
      }
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(i, cache.get(colliding[i]));
    }
    // A fifth of that slot: exactly one of the others makes room.
    cache.put(colliding[4], 4);
    int kept = 0;
    for (byte[] hash : colliding) {
      kept += cache.get(hash) == null ? 0 : 1;
    }
    assertEquals(4, kept);
    assertEquals(4, cache.get(colliding[4]));
  }

  /** {@code count} random hashes to which {@code cache}, at {@code slots} slots, gives one slot. */
  private static byte[][] hashesOfOneSlot(BoundedKeyCache<?> cache, int slots, int count) {
    SplittableRandom random = new SplittableRandom(5);
    byte[][] found = new byte[count][];
    found[0] = hash(random);
    int slot = cache.slotOf(found[0], slots);
    for (int n = 1; n < count; ) {
      byte[] candidate = hash(random);
      if (cache.slotOf(candidate, slots) == slot) {
        found[n++] = candidate;
      }
    }
    return found;
  }

  @Test
  void forgetsOnRemoveAndClear() {
    BoundedKeyCache<String> cache = new BoundedKeyCache<>(64);
    SplittableRandom random = new SplittableRandom(4);
    byte[] a = hash(random);
    byte[] b = hash(random);
    cache.put(a, "a");
    cache.put(b, "b");
    cache.remove(a);
    assertNull(cache.get(a));
    assertEquals("b", cache.get(b));
    cache.clear();
    assertNull(cache.get(b));
    assertEquals(0, cache.size());
  }

  @Test
  void refusesCapacitiesOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedKeyCache<>(0));
    assertThrows(IllegalArgumentException.class, () -> new BoundedKeyCache<>((1 << 30) + 1));
  }
}
