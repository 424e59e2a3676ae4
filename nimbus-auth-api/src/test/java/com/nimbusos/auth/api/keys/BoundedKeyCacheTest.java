package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoundedKeyCacheTest {

  /** An entry of any hash length, as a test needs it. */
  private static final class Cached extends BoundedKeyCache.Entry {
    final byte[] hash;
    final int value;

    Cached(byte[] hash, int value) {
      this.hash = hash;
      this.value = value;
    }

    @Override
    protected boolean hashEquals(byte[] candidate) {
      return MessageDigest.isEqual(hash, candidate);
    }

    @Override
    protected long hashBits() {
      return BoundedKeyCache.bitsOf(hash);
    }

    @Override
    protected byte[] hash() {
      return hash.clone();
    }
  }

  private static byte[] hash(SplittableRandom random) {
    byte[] hash = new byte[32];
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) random.nextInt(256);
    }
    return hash;
  }

  /** The value cached for {@code hash}, or null. */
  private static Integer value(BoundedKeyCache<Cached> cache, byte[] hash) {
    Cached cached = cache.get(hash);
    return cached == null ? null : cached.value;
  }

  @Test
  void returnsWhatWasPutForAnEqualHash() {
    BoundedKeyCache<Cached> cache = new BoundedKeyCache<>(1024);
    SplittableRandom random = new SplittableRandom(1);
    byte[] hash = hash(random);
    cache.put(new Cached(hash, 1));
    assertEquals(1, value(cache, hash.clone()));
    assertNull(cache.get(hash(random)));
    cache.put(new Cached(hash.clone(), 2));
    assertEquals(2, value(cache, hash));
    assertEquals(1, cache.size(), "an entry of the same hash replaces the one cached");
    assertNull(cache.get(new byte[15]), "a hash under 16 bytes is never cached");
  }

  @Test
  void neverHoldsMoreThanItsCapacityHoweverManyHashesPassThrough() {
    BoundedKeyCache<Cached> cache = new BoundedKeyCache<>(1000);
    assertEquals(1024, cache.capacity());
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 100_000; i++) {
      cache.put(new Cached(hash(random), i));
    }
    assertTrue(cache.size() <= 1024);
    assertTrue(cache.size() > 950, "four ways per hash fill nearly every slot: " + cache.size());
    BoundedKeyCache<Cached> large = new BoundedKeyCache<>(1 << 16);
    for (int i = 0; i < 200_000; i++) {
      large.put(new Cached(hash(random), i));
    }
    assertTrue(
        large.size() <= 1 << 16 && large.size() > 60_000, "grown to its capacity: " + large.size());
    large.clear();
    assertEquals(0, large.size());
  }

  @Test
  void growsAsKeysArriveAndKeepsWhatItHeld() {
    BoundedKeyCache<Cached> cache = new BoundedKeyCache<>(1 << 20);
    SplittableRandom random = new SplittableRandom(7);
    byte[][] hashes = new byte[5_000][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = hash(random);
      cache.put(new Cached(hashes[i], i));
    }
    for (int i = 0; i < hashes.length; i++) {
      assertEquals(i, value(cache, hashes[i]), "far below its capacity, every key stays");
    }
  }

  @Test
  void keepsAnEntryInUseOverOneThatWasNot() {
    BoundedKeyCache<Cached> cache =
        new BoundedKeyCache<>(BoundedKeyCache.WAYS); // one set: every hash competes
    SplittableRandom random = new SplittableRandom(3);
    byte[] hot = hash(random);
    cache.put(new Cached(hot, 0));
    for (int i = 1; i <= 1000; i++) {
      cache.put(new Cached(hash(random), i));
      assertEquals(0, value(cache, hot), "the hash used after every insertion stays");
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
    BoundedKeyCache<Cached> cache = new BoundedKeyCache<>(capacity, 42);
    byte[][] colliding = hashesOfOneSlot(cache, capacity, 5);
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 4; i++) {
        if (cache.get(colliding[i]) == null) {
          assertEquals(0, round, "hash " + i + " evicted in round " + round);
          cache.put(new Cached(colliding[i], i));
        }
      }
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(i, value(cache, colliding[i]));
    }
    // A fifth of that slot: exactly one of the others makes room.
    cache.put(new Cached(colliding[4], 4));
    int kept = 0;
    for (byte[] hash : colliding) {
      kept += cache.get(hash) == null ? 0 : 1;
    }
    assertEquals(4, kept);
    assertEquals(4, value(cache, colliding[4]));
  }

  /** {@code count} random hashes to which {@code cache}, at {@code slots} slots, gives one slot. */
  private static byte[][] hashesOfOneSlot(BoundedKeyCache<?> cache, int slots, int count) {
    SplittableRandom random = new SplittableRandom(5);
    byte[][] found = new byte[count][];
    found[0] = hash(random);
    int slot = cache.slotOf(BoundedKeyCache.bitsOf(found[0]), slots);
    for (int n = 1; n < count; ) {
      byte[] candidate = hash(random);
      if (cache.slotOf(BoundedKeyCache.bitsOf(candidate), slots) == slot) {
        found[n++] = candidate;
      }
    }
    return found;
  }

  /** Bits 8 to 15 only choose the slot: two hashes that share them are still two entries. */
  @Test
  void tellsApartHashesThatShareTheBitsOfTheirSlot() {
    SplittableRandom random = new SplittableRandom(6);
    byte[] a = hash(random);
    byte[] b = hash(random);
    System.arraycopy(a, 8, b, 8, 8);
    BoundedKeyCache<Cached> cache = new BoundedKeyCache<>(64);
    cache.put(new Cached(a, 1));
    cache.put(new Cached(b, 2));
    assertEquals(1, value(cache, a));
    assertEquals(2, value(cache, b));
    assertEquals(2, cache.size());
  }

  @Test
  void forgetsOnRemoveAndClear() {
    BoundedKeyCache<Cached> cache = new BoundedKeyCache<>(64);
    SplittableRandom random = new SplittableRandom(4);
    byte[] a = hash(random);
    byte[] b = hash(random);
    byte[] c = hash(random);
    cache.put(new Cached(a, 1));
    cache.put(new Cached(b, 2));
    cache.remove(a);
    assertNull(cache.get(a));
    assertEquals(2, value(cache, b));
    Cached first = new Cached(c, 3);
    cache.put(first);
    Cached second = new Cached(c, 4);
    cache.put(second);
    cache.remove(first); // replaced since: stays
    assertSame(second, cache.get(c));
    cache.remove(second);
    assertNull(cache.get(c));
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
