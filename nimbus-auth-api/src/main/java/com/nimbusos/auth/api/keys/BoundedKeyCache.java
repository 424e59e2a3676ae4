package com.nimbusos.auth.api.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A cache of values by key hash that never holds more than its capacity: for a validator's known keys, where
 * a node whose million keys are all in use would otherwise hold a million entries on top of the store.
 *
 * <p>Two-way set associative: a hash may sit in one of two neighbouring slots, chosen by bits of the hash
 * mixed with a secret drawn per cache (so that nobody can aim keys at one slot); a hit reads one or two
 * slots and makes nothing. A miss that finds both slots taken evicts the one not used since the last
 * eviction there (a clock bit per entry), else the first. Eviction costs nothing but a store: no list, no
 * lock, no sweep. A hash evicted is simply looked up in the store again. Thread-safe; lookups never block.
 *
 * @param <V> what is cached per hash
 */
public final class BoundedKeyCache<V> {

  private static final SecureRandom SEEDS = new SecureRandom();

  /** An entry: the hash it answers for (not copied: it must not change), its value, and its clock bit. */
  private static final class Entry<V> {
    final byte[] hash;
    final V value;
    volatile boolean used;

    Entry(byte[] hash, V value) {
      this.hash = hash;
      this.value = value;
    }
  }

  private final AtomicReferenceArray<Entry<V>> slots;
  private final int mask;
  private final long seed = SEEDS.nextLong();

  /**
   * A cache of at most {@code capacity} entries (rounded up to a power of two, at least 2).
   *
   * @throws IllegalArgumentException if {@code capacity} is below 1 or above 2^30
   */
  public BoundedKeyCache(int capacity) {
    if (capacity < 1 || capacity > 1 << 30) {
      throw new IllegalArgumentException("capacity must be between 1 and 2^30, was " + capacity);
    }
    int size = Math.max(2, Integer.highestOneBit(capacity - 1) << 1);
    slots = new AtomicReferenceArray<>(size);
    mask = size - 1;
  }

  /** How many entries it holds at most. */
  public int capacity() {
    return slots.length();
  }

  /** The value cached for {@code hash}, or {@code null}. */
  public V get(byte[] hash) {
    int slot = slotOf(hash);
    Entry<V> entry = slots.get(slot);
    if (entry == null || !Arrays.equals(entry.hash, hash)) {
      entry = slots.get(slot ^ 1);
      if (entry == null || !Arrays.equals(entry.hash, hash)) {
        return null;
      }
    }
    if (!entry.used) {
      entry.used = true; // written once per entry between evictions: hits leave the cache line clean
    }
    return entry.value;
  }

  /** Caches {@code value} for {@code hash} (the array is kept, not copied), evicting another entry if needed. */
  public void put(byte[] hash, V value) {
    int slot = slotOf(hash);
    int other = slot ^ 1;
    Entry<V> first = slots.get(slot);
    Entry<V> second = slots.get(other);
    Entry<V> entry = new Entry<>(hash, value);
    if (first == null || Arrays.equals(first.hash, hash)) {
      slots.set(slot, entry);
    } else if (second == null || Arrays.equals(second.hash, hash)) {
      slots.set(other, entry);
    } else if (!second.used) {
      slots.set(other, entry);
      first.used = false;
    } else {
      slots.set(slot, entry);
      second.used = false;
    }
  }

  /** Forgets {@code hash}, if cached. */
  public void remove(byte[] hash) {
    int slot = slotOf(hash);
    for (int i : new int[] {slot, slot ^ 1}) {
      Entry<V> entry = slots.get(i);
      if (entry != null && Arrays.equals(entry.hash, hash)) {
        slots.compareAndSet(i, entry, null);
      }
    }
  }

  /** Forgets {@code hash} if it is still cached with {@code value} (not with a value put since). */
  public void remove(byte[] hash, V value) {
    int slot = slotOf(hash);
    for (int i : new int[] {slot, slot ^ 1}) {
      Entry<V> entry = slots.get(i);
      if (entry != null && entry.value == value && Arrays.equals(entry.hash, hash)) {
        slots.compareAndSet(i, entry, null);
      }
    }
  }

  /** Forgets everything. */
  public void clear() {
    for (int i = 0; i < slots.length(); i++) {
      slots.set(i, null);
    }
  }

  /** How many entries it holds now (counts every slot: for tests and metrics, not the request path). */
  public int size() {
    int size = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        size++;
      }
    }
    return size;
  }

  /** Bytes 8 to 15 of the hash (uniform for SHA-256 and HMAC output), mixed with this cache's secret. */
  private int slotOf(byte[] hash) {
    long bits = 0;
    if (hash.length >= 16) {
      for (int i = 8; i < 16; i++) {
        bits = bits << 8 | (hash[i] & 0xff);
      }
      bits ^= seed;
    } else {
      bits = seed ^ Arrays.hashCode(hash);
    }
    bits = (bits ^ (bits >>> 33)) * 0xff51afd7ed558ccdL; // murmur3's finaliser
    bits = (bits ^ (bits >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) (bits ^ (bits >>> 33)) & mask;
  }
}
