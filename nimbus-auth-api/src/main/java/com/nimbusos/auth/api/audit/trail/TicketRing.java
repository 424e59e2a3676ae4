package com.nimbusos.auth.api.audit.trail;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where written lines wait to be sealed: one word per ticket (one ticket per line, in file order),
 * written once, with release semantics, by the thread that wrote the line, when it is complete. The
 * word holds all the sealing thread needs, so a request thread touches one slot and no other shared
 * memory here: the line's position (30 bits), its length (20 bits), its kind (2 bits), its file's
 * slot (2 bits, the file's number modulo 4: at most two files are written at once) and the ticket's
 * lap around the ring (10 bits), which tells a slot's current ticket from the one before it.
 */
final class TicketRing {

  static final byte EVENT = 0;
  static final byte CHECKPOINT = 1;

  /** A checkpoint that ends its file: the file is finished once it is sealed. */
  static final byte LAST_IN_FILE = 2;

  /** Longest line a slot can describe. */
  static final int LONGEST_LINE = (1 << 20) - 1;

  private static final int CAPACITY_BITS = 16;
  private static final int MASK = (1 << CAPACITY_BITS) - 1;

  private final AtomicLongArray slots = new AtomicLongArray(1 << CAPACITY_BITS);
  private final TrailFile[] files = new TrailFile[4];

  int capacity() {
    return MASK + 1;
  }

  /**
   * Whether {@code file} may take its slot: the file there before it (four files back) is finished,
   * else the sealing thread, that far behind, still needs it. Under the writer's lock.
   */
  boolean canUse(TrailFile file) {
    TrailFile before = files[file.index & 3];
    return before == null || before == file || before.isFinished();
  }

  /**
   * Makes {@code file} the one its tickets name; under the writer's lock, before any of them is
   * published.
   */
  void use(TrailFile file) {
    files[file.index & 3] = file;
  }

  /** Publishes ticket {@code ticket}: its line is complete at {@code position}. */
  void publish(long ticket, TrailFile file, int position, int length, byte kind) {
    long word =
        ((ticket >>> CAPACITY_BITS) & 0x3ff) << 54
            | (long) (file.index & 3) << 52
            | (long) kind << 50
            | (long) length << 30
            | position;
    slots.setRelease((int) (ticket & MASK), word);
  }

  /** The word of {@code ticket} if it is published, else 0. */
  long published(long ticket) {
    long word = slots.getAcquire((int) (ticket & MASK));
    return word != 0 && word >>> 54 == ((ticket >>> CAPACITY_BITS) & 0x3ff) ? word : 0;
  }

  TrailFile file(long word) {
    return files[(int) (word >>> 52) & 3];
  }

  static int position(long word) {
    return (int) (word & 0x3fffffff);
  }

  static int length(long word) {
    return (int) (word >>> 30 & LONGEST_LINE);
  }

  static byte kind(long word) {
    return (byte) (word >>> 50 & 3);
  }
}
