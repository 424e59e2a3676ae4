package com.nimbusos.auth.api.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A cache of values by key hash that never holds more than its capacity: for a validator's known
 * keys, where a node whose million keys are all in use would otherwise hold a million entries on
 * top of the store.
 *
 * <p>Four-way set associative: a hash may sit in one of the four slots of its set, chosen by bits
 * of the hash mixed with a secret drawn per cache (so that nobody can aim keys at one set), and is
 * looked for first in the slot those bits name; a hit reads one slot, seldom more, and makes
 * nothing. A miss that finds its set full evicts the first entry, from that slot on, not used since
 * the last eviction there (a clock bit per entry, cleared as the hand passes), else the one in that
 * slot. Eviction costs nothing but a store: no list, no lock, no sweep. A hash evicted is simply
 * looked up in the store again.
 *
 * <p>Why four ways and not two: with two, three hashes sharing a pair evict each other for as long
 * as the cache lives, and among a thousand keys in a cache of 262,144 that happens about once in a
 * hundred caches, each of those keys then costing a query on every request. With four, five hashes
 * must share a set: about once in two million such caches.
 *
 * <p>The slots start at {@value #INITIAL_SLOTS} and double, up to the capacity, whenever a put
 * would evict while there is room to grow; {@link #clear()} starts small again. A cache that holds
 * a few keys costs a few kilobytes, and emptying it (on every change to the store) costs nothing. A
 * put that races with a doubling may be lost: the key is read from the store again at its next
 * request. Thread-safe; lookups never block.
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

  /** Slots a hash may sit in: a power of two, so that a set is an aligned run of slots. */
  static final int WAYS = 4;

  private static final int INITIAL_SLOTS = 1024;

  private volatile AtomicReferenceArray<Entry<V>> slots;
  private final int maxSlots;
  private final long seed;

  /**
   * A cache of at most {@code capacity} entries (rounded up to a power of two, at least {@value
   * #WAYS}).
   *
   * @throws IllegalArgumentException if {@code capacity} is below 1 or above 2^30
   */
  public BoundedKeyCache(int capacity) {
    this(capacity, SEEDS.nextLong());
  }

  /** A cache whose slots are chosen with {@code seed}: for tests that need hashes to collide. */
  BoundedKeyCache(int capacity, long seed) {
    if (capacity < 1 || capacity > 1 << 30) {
      throw new IllegalArgumentException("capacity must be between 1 and 2^30, was " + capacity);
    }
    maxSlots = Math.max(WAYS, Integer.highestOneBit(capacity - 1) << 1);
    slots = new AtomicReferenceArray<>(Math.min(maxSlots, INITIAL_SLOTS));
    this.seed = seed;
  }

  /** How many entries it holds at most. */
  public int capacity() {
    return maxSlots;
  }

  /** The value cached for {@code hash}, or {@code null}. */
  public V get(byte[] hash) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    for (int way = 0; way < WAYS; way++) {
      Entry<V> entry = slots.get(next(slot, way));
      if (entry != null && Arrays.equals(entry.hash, hash)) {
        if (!entry.used) {
          entry.used = true; // written once per entry between evictions: hits leave the line clean
        }
        return entry.value;
      }
    }
    return null;
  }

  /**
   * Caches {@code value} for {@code hash} (the array is kept, not copied), evicting another entry
   * if needed.
   */
  public void put(byte[] hash, V value) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    int free = -1;
    for (int way = 0; way < WAYS; way++) {
      int candidate = next(slot, way);
      Entry<V> entry = slots.get(candidate);
      if (entry != null && Arrays.equals(entry.hash, hash)) {
        slots.set(candidate, new Entry<>(hash, value));
        return;
      }
      if (entry == null && free < 0) {
        free = candidate;
      }
    }
    if (free >= 0) {
      slots.set(free, new Entry<>(hash, value));
    } else if (slots.length() < maxSlots) {
      grow(slots);
      put(hash, value);
    } else {
      slots.set(victim(slots, slot), new Entry<>(hash, value));
    }
  }

  /**
   * The slot of a full set to give up: the first entry from {@code slot} on not used since the hand
   * last passed it; each used one passed keeps its place this time and loses its bit.
   */
  private int victim(AtomicReferenceArray<Entry<V>> slots, int slot) {
    for (int way = 0; way < WAYS; way++) {
      int candidate = next(slot, way);
      Entry<V> entry = slots.get(candidate);
      if (entry == null || !entry.used) {
        return candidate;
      }
      entry.used = false;
    }
    return slot;
  }

  /**
   * Doubles the slots, keeping every entry (the hashes of one set go to two sets of the doubled
   * slots, so they all fit); nothing if someone replaced them meanwhile.
   */
  private synchronized void grow(AtomicReferenceArray<Entry<V>> from) {
    if (slots != from) {
      return;
    }
    AtomicReferenceArray<Entry<V>> to = new AtomicReferenceArray<>(from.length() * 2);
    for (int i = 0; i < from.length(); i++) {
      Entry<V> entry = from.get(i);
      if (entry != null) {
        int slot = slotOf(entry.hash, to.length());
        for (int way = 0; way < WAYS; way++) {
          if (to.get(next(slot, way)) == null) {
            to.set(next(slot, way), entry);
            break;
          }
        }
      }
    }
    slots = to;
  }

  /** Forgets {@code hash}, if cached. */
  public void remove(byte[] hash) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    for (int way = 0; way < WAYS; way++) {
      int candidate = next(slot, way);
      Entry<V> entry = slots.get(candidate);
      if (entry != null && Arrays.equals(entry.hash, hash)) {
        slots.compareAndSet(candidate, entry, null);
      }
    }
  }

  /** Forgets {@code hash} if it is still cached with {@code value} (not with a value put since). */
  public void remove(byte[] hash, V value) {
    AtomicReferenceArray<Entry<V>> slots = this.slots;
    int slot = slotOf(hash, slots.length());
    for (int way = 0; way < WAYS; way++) {
      int candidate = next(slot, way);
      Entry<V> entry = slots.get(candidate);
      if (entry != null && entry.value == value && Arrays.equals(entry.hash, hash)) {
        slots.compareAndSet(candidate, entry, null);
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

  /** The {@code way}-th slot of the set of {@code slot}, counting from {@code slot} itself. */
  private static int next(int slot, int way) {
    return (slot & -WAYS) | ((slot + way) & (WAYS - 1));
  }

  /**
   * Bytes 8 to 15 of the hash (uniform for SHA-256 and HMAC output), mixed with this cache's
   * secret.
   */
  int slotOf(byte[] hash, int length) {
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
