package com.nimbusos.auth.api.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The last uses a {@link JsonFileKeyStore} has recorded since its file was last written: a text
 * file beside it ({@code keys.json.last-use}), one line per use, {@code <instant> <keyId>}, in the
 * order written. A batch of uses is one append, so its cost follows the keys used, not the store;
 * the store folds the journal into its file, and deletes it, at its next real change or when the
 * journal outgrows a quarter of the file. Readers apply what was appended since they last looked
 * (latest use wins) and skip what they cannot read: a line cut short by a crash, a key they do not
 * hold. It names key ids and instants, nothing secret. Not thread-safe: the store's monitor guards
 * it, and appends happen under the store's file lock.
 */
final class LastUseJournal {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** How the journal's name follows the store file's. */
  static final String SUFFIX = ".last-use";

  /** How many uses are applied at once while reading: bounds the map a long journal costs. */
  private static final int CHUNK = 4096;

  /** Longer lines are no use of a key (ids are short): skipped rather than held in memory. */
  private static final int MAX_LINE = 4096;

  /** What a reader is given, a chunk at a time. */
  @FunctionalInterface
  interface Uses {
    void apply(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException;
  }

  private final Path path;

  /** Whether {@link #fileKey} and the offsets describe the journal on disk as last seen. */
  private boolean known;

  private Object fileKey;

  /** The size of the journal when last read. */
  private long seen;

  /** Where its next complete line begins: everything before was applied. */
  private long read;

  private int malformed;

  LastUseJournal(Path storeFile) {
    this.path = storeFile.resolveSibling(storeFile.getFileName() + SUFFIX);
  }

  Path path() {
    return path;
  }

  /** Lines skipped as unreadable since this journal object was made (torn tails excluded). */
  int malformedLines() {
    return malformed;
  }

  /**
   * Forgets what was read, so that the next {@link #catchUp} applies the whole journal: the store
   * file was read again, and it replaced the uses applied from here.
   */
  void rewind() {
    known = false;
  }

  /**
   * Applies the uses appended since the last call, or all of them after a {@link #rewind()} or when
   * the journal was replaced; a stat and nothing more when it has not grown. A last line without
   * its line end (an append under way, or cut short by a crash) is left for later.
   */
  void catchUp(Uses uses) throws IOException, KeyStoreException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      forgetFile();
      return;
    }
    boolean same =
        known && Objects.equals(fileKey, attributes.fileKey()) && attributes.size() >= read;
    if (same && attributes.size() == seen) {
      return;
    }
    long from = same ? read : 0;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      LineReader reader = new LineReader(uses);
      long end = reader.readFrom(channel, from);
      read = from + reader.consumed;
      seen = end;
      fileKey = attributes.fileKey();
      known = true;
      malformed += reader.malformed;
    } catch (NoSuchFileException e) {
      forgetFile();
    }
  }

  /**
   * Opens the journal to append, creating it owner-only where the file system has POSIX
   * permissions: the store rewrites its file owner-only (a temporary file moved over it), and the
   * journal, which says which keys were used when, is no one else's business either.
   */
  private FileChannel openForAppend() throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    return FileChannel.open(path, options);
  }

  /**
   * Appends one line per use in one write, unless the journal would then exceed {@code bound}
   * bytes; first cuts off a last line a crash left without its line end, so that it cannot run into
   * the first line appended. Call under the store's file lock, right after {@link #catchUp}.
   *
   * @return whether the uses were appended; false if the journal is full or a key id does not fit
   *     on one line (the store then writes its file instead)
   */
  boolean append(Map<String, Instant> lastUsedByKeyId, long bound) throws IOException {
    byte[] lines = lines(lastUsedByKeyId);
    if (lines == null) {
      return false;
    }
    try (FileChannel channel = openForAppend()) {
      long end = completeLinesEnd(channel);
      if (end + lines.length > bound) {
        return false;
      }
      Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      boolean caughtUp = end == 0 || (known && Objects.equals(fileKey, key) && read == end);
      if (end < channel.size()) {
        channel.truncate(end);
      }
      ByteBuffer buffer = ByteBuffer.wrap(lines);
      long position = end;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      // The store applies these uses itself; reading them back would only cost time.
      fileKey = key;
      known = caughtUp;
      read = position;
      seen = position;
      return true;
    }
  }

  /** Deletes the journal once the store file holds every use in it. */
  void delete() throws IOException {
    Files.deleteIfExists(path);
    forgetFile();
  }

  private void forgetFile() {
    known = true;
    fileKey = null;
    seen = 0;
    read = 0;
  }

  /**
   * The journal's lines for these uses, or {@code null} if a key id would not be read back as it
   * was written (empty, or with a space at its start, a line end or another control character).
   */
  static byte[] lines(Map<String, Instant> lastUsedByKeyId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lastUsedByKeyId.size() * 48);
    for (Map.Entry<String, Instant> use : lastUsedByKeyId.entrySet()) {
      String keyId = use.getKey();
      if (keyId.isEmpty()
          || keyId.charAt(0) == ' '
          || keyId.chars().anyMatch(Character::isISOControl)) {
        return null;
      }
      out.writeBytes(use.getValue().toString().getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(keyId.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Where the last complete line ends: the journal's size unless a crash cut its tail short. */
  private static long completeLinesEnd(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    long position = size;
    while (position > 0) {
      int length = (int) Math.min(buffer.capacity(), position);
      position -= length;
      buffer.clear().limit(length);
      int done = 0;
      while (done < length) {
        int count = channel.read(buffer, position + done);
        if (count < 0) {
          break;
        }
        done += count;
      }
      for (int i = done - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return position + i + 1;
        }
      }
    }
    return 0;
  }

  /** Reads complete lines and hands their uses on a chunk at a time, the latest use of each key. */
  private static final class LineReader {

    private final Uses uses;
    private final Map<String, Instant> chunk = new HashMap<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    private boolean tooLong;
    long consumed;
    int malformed;

    LineReader(Uses uses) {
      this.uses = uses;
    }

    /** Reads to the end of the file; returns where that was. */
    long readFrom(FileChannel channel, long from) throws IOException, KeyStoreException {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long position = from;
      long lineStart = from;
      int count;
      while ((count = channel.read(buffer.clear(), position)) > 0) {
        byte[] bytes = buffer.array();
        int start = 0;
        for (int i = 0; i < count; i++) {
          if (bytes[i] == '\n') {
            keep(bytes, start, i - start);
            if (tooLong) {
              malformed++;
            } else {
              take(line.toByteArray());
            }
            line.reset();
            tooLong = false;
            start = i + 1;
            lineStart = position + i + 1;
          }
        }
        keep(bytes, start, count - start);
        position += count;
      }
      if (!chunk.isEmpty()) {
        uses.apply(Map.copyOf(chunk));
      }
      consumed = lineStart - from;
      return position;
    }

    private void keep(byte[] bytes, int start, int length) {
      if (line.size() + length > MAX_LINE) {
        tooLong = true;
        line.reset();
      } else if (!tooLong) {
        line.write(bytes, start, length);
      }
    }

    private void take(byte[] bytes) throws KeyStoreException {
      int space = indexOf(bytes, (byte) ' ');
      if (space <= 0 || space == bytes.length - 1) {
        malformed++;
        return;
      }
      Instant when;
      try {
        when = Instant.parse(new String(bytes, 0, space, StandardCharsets.US_ASCII));
      } catch (DateTimeParseException e) {
        malformed++;
        return;
      }
      String keyId = new String(bytes, space + 1, bytes.length - space - 1, StandardCharsets.UTF_8);
      chunk.merge(keyId, when, (a, b) -> a.isAfter(b) ? a : b);
      if (chunk.size() >= CHUNK) {
        uses.apply(Map.copyOf(chunk));
        chunk.clear();
      }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == wanted) {
          return i;
        }
      }
      return -1;
    }
  }
}
