package com.nimbusos.auth.api.keys;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A key hash read and written as big-endian longs, eight bytes each: how the compact index stores
 * every hash, the known-key cache keeps its entries' hashes, and both place a hash by its bits. One
 * byte order for all of them, so that a hash put in one is found again by another.
 */
final class HashWords {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private HashWords() {}

  /** Bytes {@code offset} to {@code offset + 7} of {@code hash}, big-endian. */
  static long word(byte[] hash, int offset) {
    return (long) LONGS.get(hash, offset);
  }

  /** Writes {@code value} into bytes {@code offset} to {@code offset + 7}, big-endian. */
  static void putWord(byte[] hash, int offset, long value) {
    LONGS.set(hash, offset, value);
  }
}
