package com.nimbusos.auth.api.keys;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A cache of entries by key hash that never holds more than its capacity: for a validator's known
 * keys, where a node whose million keys are all in use would otherwise hold a million entries on
 * top of the store.
 *
 * <p>The slots hold the entries themselves, each of which knows its hash ({@link Entry}): a hit
 * reads one slot and the entry it names, makes nothing, and compares the hash where it already is.
 * A node per slot holding the hash's array and the value would cost two objects (72 bytes) a key
 * and two more dependent loads on every hit.
 *
 * <p>Four-way set associative: a hash may sit in one of the four slots of its set, chosen by bits
 * of the hash mixed with a secret drawn per cache (so that nobody can aim keys at one set), and is
 * looked for first in the slot those bits name. A miss that finds its set full evicts the first
 * entry, from that slot on, not used since the last eviction there (a clock bit per entry, cleared
 * as the hand passes), else the one in that slot. Eviction costs nothing but a store: no list, no
 * lock, no sweep. A hash evicted is simply looked up in the store again.
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
 * @param <E> what is cached per hash
 */
public final class BoundedKeyCache<E extends BoundedKeyCache.Entry> {

  /**
   * What a {@link BoundedKeyCache} holds: something that knows the hash (of at least 16 bytes) it
   * is cached under. The hash must not change while the entry is cached.
   */
  public abstract static class Entry {

    /** The clock bit: set by a hit, cleared as the eviction hand passes. */
    volatile boolean used;

    /** An entry not used yet. */
    protected Entry() {}

    /**
     * Whether {@code hash} is this entry's hash. Key hashes are compared in constant time, so
     * implementations should be too: a cache hit is decided by this comparison.
     */
    protected abstract boolean hashEquals(byte[] hash);

    /** Bytes 8 to 15 of the hash, big-endian: where the cache puts the entry. */
    protected abstract long hashBits();

    /**
     * The hash, a copy if need be: read only when an entry is put where one with the same bits
     * already is.
     */
    protected abstract byte[] hash();
  }

  private static final SecureRandom SEEDS = new SecureRandom();

  /** Slots a hash may sit in: a power of two, so that a set is an aligned run of slots. */
  static final int WAYS = 4;

  private static final int INITIAL_SLOTS = 1024;

  private volatile AtomicReferenceArray<E> slots;
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

  /** The entry cached for {@code hash}, or {@code null} (always for a hash under 16 bytes). */
  public E get(byte[] hash) {
    if (hash.length < 16) {
      return null;
    }
    AtomicReferenceArray<E> slots = this.slots;
    int slot = slotOf(bitsOf(hash), slots.length());
    for (int way = 0; way < WAYS; way++) {
      E entry = slots.get(next(slot, way));
      if (entry != null && entry.hashEquals(hash)) {
        if (!entry.used) {
          entry.used = true; // written once per entry between evictions: hits leave the line clean
        }
        return entry;
      }
    }
    return null;
  }

  /** Caches {@code entry} in place of any of the same hash, evicting another entry if needed. */
  public void put(E entry) {
    AtomicReferenceArray<E> slots = this.slots;
    long bits = entry.hashBits();
    int slot = slotOf(bits, slots.length());
    int free = -1;
    for (int way = 0; way < WAYS; way++) {
      int candidate = next(slot, way);
      E held = slots.get(candidate);
      if (held != null
          && (held == entry || held.hashBits() == bits && held.hashEquals(entry.hash()))) {
        slots.set(candidate, entry);
        return;
      }
      if (held == null && free < 0) {
        free = candidate;
      }
    }
    if (free >= 0) {
      slots.set(free, entry);
    } else if (slots.length() < maxSlots) {
      grow(slots);
      put(entry);
    } else {
      slots.set(victim(slots, slot), entry);
    }
  }

  /**
   * The slot of a full set to give up: the first entry from {@code slot} on not used since the hand
   * last passed it; each used one passed keeps its place this time and loses its bit.
   */
  private int victim(AtomicReferenceArray<E> slots, int slot) {
    for (int way = 0; way < WAYS; way++) {
      int candidate = next(slot, way);
      E entry = slots.get(candidate);
      if (entry == null || !entry.used) {
        return candidate;
      }
      entry.used = false;
    }
    return slot;
  }

  /**
   * Doubles the slots, keeping every entry (the entries of one set go to two sets of the doubled
   * slots, so they all fit); nothing if someone replaced them meanwhile.
   */
  private synchronized void grow(AtomicReferenceArray<E> from) {
    if (slots != from) {
      return;
    }
    AtomicReferenceArray<E> to = new AtomicReferenceArray<>(from.length() * 2);
    for (int i = 0; i < from.length(); i++) {
      E entry = from.get(i);
      if (entry != null) {
        int slot = slotOf(entry.hashBits(), to.length());
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

  /** Forgets the entry cached for {@code hash}, if any. */
  public void remove(byte[] hash) {
    E entry = get(hash);
    if (entry != null) {
      remove(entry);
    }
  }

  /** Forgets {@code entry} if it is still cached (not replaced by one put since). */
  public void remove(E entry) {
    AtomicReferenceArray<E> slots = this.slots;
    int slot = slotOf(entry.hashBits(), slots.length());
    for (int way = 0; way < WAYS; way++) {
      slots.compareAndSet(next(slot, way), entry, null);
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
    AtomicReferenceArray<E> slots = this.slots;
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
   * Where the hash whose bytes 8 to 15 are {@code hashBits} goes, mixed with this cache's secret.
   */
  int slotOf(long hashBits, int length) {
    long bits = hashBits ^ seed;
    bits = (bits ^ (bits >>> 33)) * 0xff51afd7ed558ccdL; // murmur3's finaliser
    bits = (bits ^ (bits >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) (bits ^ (bits >>> 33)) & (length - 1);
  }

  /** Bytes 8 to 15 of {@code hash}, big-endian, as {@link Entry#hashBits()} gives them. */
  static long bitsOf(byte[] hash) {
    return HashWords.word(hash, 8);
  }
}
