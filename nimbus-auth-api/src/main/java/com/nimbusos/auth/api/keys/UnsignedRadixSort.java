package com.nimbusos.auth.api.keys;

import java.util.Arrays;

/**
 * Sorts positions by a 64-bit key read as unsigned, least significant byte first, carrying each key
 * beside its position. Sorting the positions alone and reading {@code key[position]} in every pass
 * reads the keys in a random order: at ten million keys (80 MB of keys) each read misses the CPU
 * caches, and the build of a {@link CompactKeyIndex} took ten seconds. Carried keys are read in
 * order, so a pass runs at the speed of memory.
 */
final class UnsignedRadixSort {

  private UnsignedRadixSort() {}

  /**
   * Sorts the first {@code length} keys as unsigned longs, and the positions with them: stable, in
   * place, with one temporary copy of each array.
   */
  static void sort(long[] keys, int[] positions, int length) {
    long[] fromKeys = keys;
    int[] fromPositions = positions;
    long[] toKeys = new long[length];
    int[] toPositions = new int[length];
    int[] counts = new int[257];
    for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < length; i++) {
        counts[(int) (fromKeys[i] >>> shift & 0xff) + 1]++;
      }
      if (allInOneBucket(counts, length)) {
        continue; // every key has this byte: the pass would move nothing
      }
      for (int i = 1; i < counts.length; i++) {
        counts[i] += counts[i - 1];
      }
      for (int i = 0; i < length; i++) {
        int to = counts[(int) (fromKeys[i] >>> shift & 0xff)]++;
        toKeys[to] = fromKeys[i];
        toPositions[to] = fromPositions[i];
      }
      long[] keySwap = fromKeys;
      fromKeys = toKeys;
      toKeys = keySwap;
      int[] positionSwap = fromPositions;
      fromPositions = toPositions;
      toPositions = positionSwap;
    }
    if (fromKeys != keys) {
      System.arraycopy(fromKeys, 0, keys, 0, length);
      System.arraycopy(fromPositions, 0, positions, 0, length);
    }
  }

  private static boolean allInOneBucket(int[] counts, int length) {
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] == length) {
        return true;
      }
    }
    return false;
  }
}
