package com.nimbusos.auth.api.audit.trail;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One trail file being written, mapped in memory whole: request threads copy their lines into the
 * mapping (into the page cache, which outlives the process), the sealing thread writes the chain
 * values and grows the part of the file that has real blocks ahead of them. Finished by truncating
 * it to what was written.
 */
final class TrailFile {

  final int index;
  final Path path;
  final int capacity;
  private final FileChannel channel;
  private final MappedByteBuffer map;

  /** Where the next line goes; guarded by the writer's lock. */
  int position;

  /**
   * The day (UTC, days since the epoch) it became the file written to; guarded by the writer's
   * lock.
   */
  long day;

  /** How many bytes from the start have real blocks; lines are reserved below it only. */
  private volatile int allocated;

  private volatile boolean finished;

  /** The sealing thread's own, allocated by that thread: see {@link #progress()}. */
  private Progress progress;

  /** Where the file's last sealed line ends, and how far the file was forced to disk. */
  static final class Progress {
    int sealedEnd;
    int forcedEnd;
  }

  private TrailFile(
      int index,
      Path path,
      int capacity,
      FileChannel channel,
      MappedByteBuffer map,
      int allocated) {
    this.index = index;
    this.path = path;
    this.capacity = capacity;
    this.channel = channel;
    this.map = map;
    this.allocated = allocated;
  }

  /**
   * Creates file {@code index}, never one that exists, with real blocks for its first {@code
   * firstBlocks} bytes, and maps all of its {@code capacity}.
   */
  static TrailFile create(TrailStorage storage, Path path, int index, int capacity, int firstBlocks)
      throws IOException {
    FileChannel channel =
        storage.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      int allocated = Math.min(capacity, firstBlocks);
      storage.allocate(channel, 0, allocated);
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
      TrailFile file = new TrailFile(index, path, capacity, channel, map, allocated);
      file.touch(0, allocated);
      return file;
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /**
   * The sealing thread's progress in this file, created by that thread on first use, so that it
   * lies away from {@link #position}, which request threads write.
   */
  Progress progress() {
    if (progress == null) {
      progress = new Progress();
    }
    return progress;
  }

  int allocated() {
    return allocated;
  }

  /**
   * Gives real blocks to the file up to {@code end} (at most its capacity), a chunk at a time, and
   * maps their pages in writable, so that the request threads copying into them later take no page
   * fault.
   */
  // allocated += is not atomic, and need not be: only the sealing thread grows a file
  // (TrailWriter.grow);
  // other threads only read how far it got, and volatile makes that read see the last write.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void allocateTo(TrailStorage storage, int end, int chunk) throws IOException {
    int target = Math.min(capacity, end);
    while (allocated < target) {
      int length = Math.min(chunk, capacity - allocated);
      storage.allocate(channel, allocated, length);
      touch(allocated, allocated + length);
      allocated += length;
    }
  }

  /**
   * Writes a zero into every page, which holds zeros: the page is then mapped writable. Only pages
   * past {@link #allocated()}, which no request thread writes to until it is raised past them.
   */
  private void touch(int from, int to) {
    for (int page = from; page < to; page += 4096) {
      map.put(page, (byte) 0);
    }
  }

  void put(int at, byte[] line) {
    map.put(at, line);
  }

  void read(int at, byte[] into, int length) {
    map.get(at, into, 0, length);
  }

  void write(int at, byte[] from, int offset, int length) {
    map.put(at, from, offset, length);
  }

  /** Forces what lies between {@code from} and {@code to} to the disk. */
  void force(int from, int to) {
    if (to > from) {
      map.force(from, to - from);
    }
  }

  /** Whether the sealing thread is done with it. */
  boolean isFinished() {
    return finished;
  }

  /** Forces the written part to disk, truncates the file to it and closes it. */
  void finish(int length) throws IOException {
    finished = true;
    try {
      force(0, length);
      channel.truncate(length);
      channel.force(true);
    } finally {
      channel.close();
    }
  }

  /** Closes the file as it is, reserved space and all, for the next start to recover. */
  void abandon() {
    finished = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to lose: the mapping's pages are in the page cache already
    }
  }

  /** Deletes a file that was never written to. */
  void discard() {
    abandon();
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a stray empty file is recognised as such and removed at the next start
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
