package com.nimbusos.auth.api.keys;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The negative cache: hashes the store was asked for and did not have, so that a flood of made-up
 * keys costs one query each, not one per request. Bounded: when full it forgets everything and
 * starts again, so a flood of distinct keys costs memory up to the limit, never more. Forgotten
 * whenever the store changes ({@link #forgetAll()}), since a key unknown before may exist now.
 * Thread-safe.
 */
final class UnknownKeyCache {

  private final Set<HashKey> unknown = ConcurrentHashMap.newKeySet();
  private final int capacity;
  private final CacheGeneration generation;

  /**
   * An empty cache.
   *
   * @param capacity how many hashes it holds at most
   * @param generation advanced on every change of the store: what was learnt before one is not kept
   */
  UnknownKeyCache(int capacity, CacheGeneration generation) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
    this.generation = generation;
  }

  /** Whether the store did not have {@code hash} when last asked, since the last change. */
  boolean contains(HashKey hash) {
    return unknown.contains(hash);
  }

  /**
   * Remembers that the store does not have {@code hash}, unless the store changed since {@code
   * generationBefore}, read before it was asked: the answer may then predate a new key.
   */
  void remember(HashKey hash, long generationBefore) {
    if (unknown.size() >= capacity) {
      unknown.clear();
    }
    unknown.add(hash);
    if (generation.movedSince(generationBefore)) {
      unknown.remove(hash); // a forgetAll() may have run before the add: undo it
    }
  }

  /** Forgets every hash: the store changed. */
  void forgetAll() {
    unknown.clear();
  }

  int size() {
    return unknown.size();
  }

  @Override
  public String toString() {
    return "UnknownKeyCache[" + unknown.size() + " of " + capacity + "]";
  }
}
