package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hash as a map key: equal only to the same bytes, hashed on its first four bytes (all of them),
 * ordered as unsigned bytes. The negative cache, the keys file's digests and the changed records of
 * the index are keyed by it, so an equality that is too loose would let one key stand for another.
 */
class HashKeyTest {

  private static byte[] hash(int... bytes) {
    byte[] hash = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      hash[i] = (byte) bytes[i];
    }
    return hash;
  }

  @Test
  void equalsOnlyTheSameBytes() {
    assertEquals(new HashKey(hash(1, 2, 3)), new HashKey(hash(1, 2, 3)));
    assertNotEquals(new HashKey(hash(1, 2, 3)), new HashKey(hash(1, 2, 4)));
    byte[] lastByteDiffers = hash(1, 2, 3);
    lastByteDiffers[31] = 1;
    assertNotEquals(
        new HashKey(hash(1, 2, 3)), new HashKey(lastByteDiffers), "same bucket, other key");
    assertFalse(new HashKey(hash(1)).equals(hash(1)), "a HashKey is never equal to an array");
  }

  @Test
  void hashesOnEveryBitOfTheFirstFourBytes() {
    assertEquals(0x01020304, new HashKey(hash(1, 2, 3, 4)).hashCode());
    assertEquals(0x80ff7f01, new HashKey(hash(0x80, 0xff, 0x7f, 0x01)).hashCode());
    assertEquals(0xffffffff, new HashKey(hash(0xff, 0xff, 0xff, 0xff)).hashCode());
    assertEquals(
        java.util.Arrays.hashCode(new byte[] {1, 2}), new HashKey(new byte[] {1, 2}).hashCode());
  }

  @Test
  void ordersAsUnsignedBytes() {
    assertTrue(
        new HashKey(hash(0x7f)).compareTo(new HashKey(hash(0x80))) < 0, "0x80 is 128, not -128");
    assertEquals(0, new HashKey(hash(5)).compareTo(new HashKey(hash(5))));
  }

  @Test
  void aMapFindsAKeyByItsBytesOnly() {
    Map<HashKey, String> map = new HashMap<>();
    for (int i = 0; i < 256; i++) {
      byte[] sameBucket = hash(9, 9, 9, 9);
      sameBucket[31] = (byte) i;
      map.put(new HashKey(sameBucket), "k_" + i);
    }
    byte[] probe = hash(9, 9, 9, 9);
    probe[31] = (byte) 200;
    assertEquals("k_200", map.get(new HashKey(probe)));
    assertEquals(256, map.size());
  }

  @Test
  void neverPrintsTheHash() {
    assertEquals("HashKey", new HashKey(hash(0xab, 0xcd)).toString());
  }
}
