package com.nimbusos.auth.api.audit.trail;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks an audit trail written by {@link FileAuditSink} or the JDBC sink: every record's chain
 * value, every checkpoint's HMAC under the audit key, the sequence numbers, the order of the files, and
 * that the trail ends with a closing checkpoint. It reports the first record that is wrong, and what is
 * wrong with it. Immutable and thread-safe; holds the key, which it never shows.
 */
public final class TrailVerifier {

  private static final String TABLE = "nimbus_audit_record";
  /** The longest line accepted; real records are a few hundred bytes. */
  private static final int LONGEST_LINE = 1 << 20;

  private final byte[] key;
  private final boolean partial;
  private final boolean openTail;

  private TrailVerifier(byte[] key, boolean partial, boolean openTail) {
    this.key = key;
    this.partial = partial;
    this.openTail = openTail;
  }

  /**
   * A verifier for trails written under {@code key}.
   *
   * @param key the audit key, at least 32 bytes
   */
  public static TrailVerifier withKey(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("the audit key must be at least 32 bytes long");
    }
    return new TrailVerifier(key.clone(), false, false);
  }

  /**
   * The same verifier, accepting a later part of a trail: the first record given is then taken as given,
   * since what it continues is not there to check it against.
   */
  public TrailVerifier acceptingPartialTrail() {
    return new TrailVerifier(key, true, openTail);
  }

  /**
   * The same verifier, accepting that the last file (or each node's last run) is still being written: its
   * records after the last checkpoint are then attested by the chain only, since a cut there cannot be told
   * from records not written yet.
   */
  public TrailVerifier acceptingOpenTail() {
    return new TrailVerifier(key, partial, true);
  }

  /**
   * Verifies trail files, in the order given (the order they were written in).
   *
   * @throws IOException if a file cannot be read
   */
  public Verification verifyFiles(List<Path> files) throws IOException {
    TrailCheck check = new TrailCheck(key, true, partial, openTail);
    for (int i = 0; i < files.size(); i++) {
      if (!verifyFile(check, files.get(i), i == files.size() - 1)) {
        break;
      }
    }
    return check.result();
  }

  /**
   * Verifies one node's chain in the table the JDBC sink writes.
   *
   * @throws SQLException if the table cannot be read
   */
  public Verification verifyTable(DataSource dataSource, String node) throws SQLException {
    TrailCheck check = new TrailCheck(key, false, partial, openTail);
    check.startSegment();
    long lineNo = 0;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT line_no, line FROM " + TABLE + " WHERE node_id = ? ORDER BY line_no")) {
      select.setString(1, node);
      select.setFetchSize(1000);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          lineNo = rows.getLong(1);
          byte[] line = rows.getString(2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          if (!check.line("node " + node + " line " + lineNo, line, 0, line.length)) {
            return check.result();
          }
        }
      }
    }
    check.endSegment("node " + node + " after line " + lineNo, true);
    return check.result();
  }

  /**
   * The nodes that have a chain in the JDBC sink's table.
   *
   * @throws SQLException if the table cannot be read
   */
  public static List<String> nodes(DataSource dataSource) throws SQLException {
    List<String> nodes = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT DISTINCT node_id FROM " + TABLE + " ORDER BY node_id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        nodes.add(rows.getString(1));
      }
    }
    return nodes;
  }

  private static boolean verifyFile(TrailCheck check, Path file, boolean last) throws IOException {
    String name = file.getFileName().toString();
    check.startSegment();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException(file + " is larger than any trail file (2 GiB)");
      }
      MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      int lineNo = 0;
      int at = 0;
      byte[] line = new byte[4096];
      boolean liveTail = last && check.acceptsOpenTail();
      while (at < size) {
        lineNo++;
        if (liveTail && (zerosFrom(bytes, at) || unsealed(bytes, at, size))) {
          break; // the writer's reserved space, and lines it has not sealed yet
        }
        if (zerosFrom(bytes, at)) {
          return fail(check, name + ":" + lineNo, (size - at) + " zero bytes after the last record: space its writer"
              + " reserved and did not truncate, since it stopped uncleanly (start the sink once to recover)");
        }
        int end = at;
        while (end < size && bytes.get(end) != '\n' && end - at < LONGEST_LINE) {
          end++;
        }
        if (end == size || bytes.get(end) != '\n') {
          return fail(check, name + ":" + lineNo, end == size
              ? "an unfinished last line, without its newline: a torn write"
              : "a line longer than " + LONGEST_LINE + " bytes");
        }
        int length = end - at;
        if (line.length < length) {
          line = new byte[Math.max(length, 2 * line.length)];
        }
        bytes.get(at, line, 0, length);
        if (!check.line(name + ":" + lineNo, line, 0, length)) {
          return false;
        }
        at = end + 1;
      }
      return check.endSegment(name + " (end, after line " + lineNo + ")", last);
    }
  }

  /** Whether the line at {@code at} is complete and waits to be sealed (its chain field is placeholders). */
  private static boolean unsealed(MappedByteBuffer bytes, int at, long size) {
    int end = at;
    while (end < size && bytes.get(end) != '\n' && bytes.get(end) != 0) {
      end++;
    }
    int length = end - at;
    if (end == size || bytes.get(end) != '\n' || length < TrailFormat.CHAIN_SUFFIX) {
      return end == size || bytes.get(end) == 0; // torn: still being copied in
    }
    byte[] hex = new byte[TrailFormat.HEX_CHARS];
    bytes.get(at + TrailFormat.chainHexStart(length), hex, 0, hex.length);
    return TrailFormat.isPlaceholder(hex, 0);
  }

  private static boolean zerosFrom(MappedByteBuffer bytes, int at) {
    for (int i = at; i < bytes.limit(); i++) {
      if (bytes.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean fail(TrailCheck check, String at, String what) {
    return check.fail(at, what);
  }

  @Override
  public String toString() {
    return "TrailVerifier[key " + key.length + " bytes" + (partial ? ", partial trail" : "") + (openTail ? ", open tail" : "") + "]";
  }

  /**
   * What a verification found.
   *
   * @param intact whether nothing is wrong
   * @param where the first record that is wrong ({@code file:line}, or the node and line number), or {@code
   *     null}
   * @param problem what is wrong with it, or {@code null}
   * @param summary what was checked: records, checkpoints, files or nodes, and any caveat
   */
  public record Verification(boolean intact, String where, String problem, String summary) {}
}
