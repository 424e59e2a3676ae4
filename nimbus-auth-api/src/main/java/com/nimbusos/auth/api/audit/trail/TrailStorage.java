package com.nimbusos.auth.api.audit.trail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The file operations a trail makes, behind one seam so that tests can make them fail the way a
 * full disk does. The default writes to the file system.
 */
interface TrailStorage {

  /** The file system itself. */
  TrailStorage FILES = new TrailStorage() {};

  /** Opens a file channel. */
  default FileChannel open(Path file, OpenOption... options) throws IOException {
    return FileChannel.open(file, options);
  }

  /**
   * Gives the file real blocks from {@code position} for {@code length} bytes by writing zeros: a
   * full disk then shows here, as an {@link IOException}, instead of as a fault when the mapping is
   * written.
   */
  default void allocate(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(Math.min(length, 64 * 1024));
    long at = position;
    long end = position + length;
    while (at < end) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), end - at));
      at += channel.write(zeros, at);
    }
  }
}
