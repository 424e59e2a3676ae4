package com.nimbusos.auth.api.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A cache of values by key hash that never holds more than its capacity: for a validator's known
 * keys, where a node whose million keys are all in use would otherwise hold a million entries on
 * top of the store.
 *
 * <p>Two-way set associative: a hash may sit in one of two neighbouring slots, chosen by bits of
 * the hash mixed with a secret drawn per cache (so that nobody can aim keys at one slot); a hit
 * reads one or two slots and makes nothing. A miss that finds both slots taken evicts the one not
 * used since the last eviction there (a clock bit per entry), else the first. Eviction costs
 * nothing but a store: no list, no lock, no sweep. A hash evicted is simply looked up in the store
 * again. Thread-safe; lookups never block.
 *
 * <p>The slots start at {@value #INITIAL_SLOTS} and double, up to the capacity, whenever a put
 * would evict while there is room to grow; {@link #clear()} starts small again. A cache that holds
 * a few keys costs a few kilobytes, and emptying it (on every change to the store) costs nothing. A
 * put that races with a doubling may be lost: the key is read from the store again at its next
 * request.
 *
 * @param <V> what is cached per hash
 */
public final class BoundedKeyCache<V> {

  private static final SecureRandom SEEDS = new SecureRandom();

  /**
   * An entry: the hash it answers for (not copied: it must not change), its value, and its clock
   * bit.
   */
  private static final class Entry<V> {
    final byte[] hash;
    final V value;
    volatile boolean used;

    Entry(byte[] hash, V value) {
      this.hash = hash;
      this.value = value;
    }
  }

  private static final int INITIAL_SLOTS = 1024;

  private volatile AtomicReferenceArray<Entry<V>> slots;
  private final int maxSlots;
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
    maxSlots = Math.max(2, Integer.highestOneBit(capacity - 1) << 1);
    slots = new AtomicReferenceArray<>(Math.min(maxSlots, INITIAL_SLOTS));
  }

  /** How many entries it holds at most. */
  public int capacity() {
    return maxSlots;
  }

  /** The value cached for {@code hash}, or {@code null}. */
  public V get(byte[] hash) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    Entry<V> entry = slots.get(slot);
    if (entry == null || !Arrays.equals(entry.hash, hash)) {
      entry = slots.get(slot ^ 1);
      if (entry == null || !Arrays.equals(entry.hash, hash)) {
        return null;
      }
    }
    if (!entry.used) {
      entry.used =
          true; // written once per entry between evictions: hits leave the cache line clean
    }
    return entry.value;
  }

  /**
   * Caches {@code value} for {@code hash} (the array is kept, not copied), evicting another entry
   * if needed.
   */
  public void put(byte[] hash, V value) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    int other = slot ^ 1;
    Entry<V> first = slots.get(slot);
    Entry<V> second = slots.get(other);
    if (first != null
        && second != null
        && slots.length() < maxSlots
        && !Arrays.equals(first.hash, hash)
        && !Arrays.equals(second.hash, hash)) {
      grow(slots);
      put(hash, value);
      return;
    }
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

  /** Doubles the slots, keeping every entry; nothing if someone replaced them meanwhile. */
  private synchronized void grow(AtomicReferenceArray<Entry<V>> from) {
    if (slots != from) {
      return;
    }
    AtomicReferenceArray<Entry<V>> to = new AtomicReferenceArray<>(from.length() * 2);
    for (int i = 0; i < from.length(); i++) {
      Entry<V> entry = from.get(i);
      if (entry != null) {
        int slot = slotOf(entry.hash, to.length());
        if (to.get(slot) == null) {
          to.set(slot, entry);
        } else if (to.get(slot ^ 1) == null) {
          to.set(slot ^ 1, entry);
        }
      }
    }
    slots = to;
  }

  /** Forgets {@code hash}, if cached. */
  public void remove(byte[] hash) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    for (int i : new int[] {slot, slot ^ 1}) {
      Entry<V> entry = slots.get(i);
      if (entry != null && Arrays.equals(entry.hash, hash)) {
        slots.compareAndSet(i, entry, null);
      }
    }
  }

  /** Forgets {@code hash} if it is still cached with {@code value} (not with a value put since). */
  public void remove(byte[] hash, V value) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    for (int i : new int[] {slot, slot ^ 1}) {
      Entry<V> entry = slots.get(i);
      if (entry != null && entry.value == value && Arrays.equals(entry.hash, hash)) {
        slots.compareAndSet(i, entry, null);
      }
    }
  }

  /** Forgets everything, and gives the slots back: it starts small again. */
  public synchronized void clear() {
    slots = new AtomicReferenceArray<>(Math.min(maxSlots, INITIAL_SLOTS));
  }

  /**
   * How many entries it holds now (counts every slot: for tests and metrics, not the request path).
   */
  public int size() {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int size = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        size++;
      }
    }
    return size;
  }

  /**
   * Bytes 8 to 15 of the hash (uniform for SHA-256 and HMAC output), mixed with this cache's
   * secret.
   */
  private int slotOf(byte[] hash, int length) {
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
    return (int) (bits ^ (bits >>> 33)) & (length - 1);
  }
}
