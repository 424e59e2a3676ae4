package com.nimbusos.auth.api.audit.trail;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where reserved lines wait to be sealed: for each ticket (one per line, in file order) the file, position,
 * length and kind, written by the thread that reserved it under the writer's lock, and a published mark it
 * sets once the line's bytes are in place. The sealing thread takes tickets in order, each once it is
 * published; a slot is reused only after its ticket was sealed.
 */
final class TicketRing {

  static final byte EVENT = 0;
  static final byte CHECKPOINT = 1;
  /** A checkpoint that ends its file: the file is finished once it is sealed. */
  static final byte LAST_IN_FILE = 2;

  private final int mask;
  private final TrailFile[] files;
  private final int[] positions;
  private final int[] lengths;
  private final byte[] kinds;
  private final AtomicLongArray published;

  TicketRing(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two");
    }
    this.mask = capacity - 1;
    this.files = new TrailFile[capacity];
    this.positions = new int[capacity];
    this.lengths = new int[capacity];
    this.kinds = new byte[capacity];
    this.published = new AtomicLongArray(capacity);
  }

  int capacity() {
    return mask + 1;
  }

  /** Notes where ticket {@code ticket}'s line goes; under the writer's lock. */
  void reserve(long ticket, TrailFile file, int position, int length, byte kind) {
    int slot = (int) (ticket & mask);
    files[slot] = file;
    positions[slot] = position;
    lengths[slot] = length;
    kinds[slot] = kind;
  }

  /** Marks the line of {@code ticket} as written; its reservation is then visible to the sealing thread. */
  void publish(long ticket) {
    published.setRelease((int) (ticket & mask), ticket);
  }

  boolean isPublished(long ticket) {
    return published.getAcquire((int) (ticket & mask)) == ticket;
  }

  TrailFile file(long ticket) {
    return files[(int) (ticket & mask)];
  }

  int position(long ticket) {
    return positions[(int) (ticket & mask)];
  }

  int length(long ticket) {
    return lengths[(int) (ticket & mask)];
  }

  byte kind(long ticket) {
    return kinds[(int) (ticket & mask)];
  }

  /** Lets go of the file of a sealed ticket, so that a finished file's mapping can be collected. */
  void release(long ticket) {
    files[(int) (ticket & mask)] = null;
  }
}
