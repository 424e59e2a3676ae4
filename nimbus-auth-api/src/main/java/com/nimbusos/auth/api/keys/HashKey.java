package com.nimbusos.auth.api.keys;

import java.util.Arrays;

/**
 * A key hash as a map key, wrapping the array without copying it (24 bytes, where a {@code
 * ByteBuffer} takes 56 and its usual defensive copy 48 more): for the indexes of a million keys.
 * Hashes on the first four bytes, uniformly random for SHA-256 and HMAC output; comparable, so that
 * a bin of deliberately colliding hashes stays a balanced tree. The array must not change while the
 * key is in use.
 */
final class HashKey implements Comparable<HashKey> {

  private final byte[] hash;
  private final int hashCode;

  HashKey(byte[] hash) {
    this.hash = hash;
    this.hashCode =
        hash.length >= 4
            ? (hash[0] << 24)
                | ((hash[1] & 0xff) << 16)
                | ((hash[2] & 0xff) << 8)
                | (hash[3] & 0xff)
            : Arrays.hashCode(hash);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HashKey that && Arrays.equals(hash, that.hash);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public int compareTo(HashKey other) {
    return Arrays.compareUnsigned(hash, other.hash);
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "HashKey";
  }
}
