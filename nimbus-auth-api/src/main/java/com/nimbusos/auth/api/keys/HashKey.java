package com.nimbusos.auth.api.keys;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A key hash as a map key, wrapping the array without copying it (24 bytes, where a {@code
 * ByteBuffer} takes 56 and its usual defensive copy 48 more): for the indexes of a million keys,
 * the negative cache, and the keys file's digests. Hashes on the first four bytes, uniformly random
 * for SHA-256 and HMAC output; equal only to the same bytes, compared in constant time as every
 * comparison of key hashes is; comparable, so that a bin of deliberately colliding hashes stays a
 * balanced tree. The array must not change while the key is in use.
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
    return other instanceof HashKey that && MessageDigest.isEqual(hash, that.hash);
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
