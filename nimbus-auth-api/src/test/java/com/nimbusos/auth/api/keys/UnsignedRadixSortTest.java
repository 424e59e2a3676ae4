package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnsignedRadixSortTest {

  @Test
  void sortsAsUnsignedAndCarriesEachPositionWithItsKey() {
    SplittableRandom random = new SplittableRandom(3);
    for (int length : new int[] {0, 1, 2, 255, 10_000}) {
      long[] keys = new long[length];
      for (int i = 0; i < length; i++) {
        // negative longs are the largest unsigned ones; a few duplicates test stability
        keys[i] = i % 7 == 0 ? Long.MIN_VALUE + (i % 3) : random.nextLong();
      }
      long[] original = keys.clone();
      int[] positions = IntStream.range(0, length).toArray();

      UnsignedRadixSort.sort(keys, positions, length);

      Integer[] expected = IntStream.range(0, length).boxed().toArray(Integer[]::new);
      Arrays.sort( // stable: equal keys keep their order
          expected, Comparator.comparing((Integer p) -> original[p], Long::compareUnsigned));
      assertArrayEquals(
          Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), positions, "n=" + length);
      for (int i = 0; i < length; i++) {
        assertEquals(original[positions[i]], keys[i], "key carried with its position");
      }
    }
  }

  @Test
  void keysSharingMostBytesStillSortByTheOnesThatDiffer() {
    long[] keys = {
      0x0102030405060709L, 0x0102030405060701L, 0xff02030405060705L, 0x0102030405060705L
    };
    int[] positions = {0, 1, 2, 3};

    UnsignedRadixSort.sort(keys, positions, 4);

    assertArrayEquals(new int[] {1, 3, 0, 2}, positions);
  }

  @Test
  void sortsOnlyThePrefixItIsGiven() {
    long[] keys = {5, 3, 1, 0};
    int[] positions = {0, 1, 2, 3};

    UnsignedRadixSort.sort(keys, positions, 2);

    assertArrayEquals(new long[] {3, 5, 1, 0}, keys);
    assertArrayEquals(new int[] {1, 0, 2, 3}, positions);
  }
}
