package com.nimbusos.auth.api.audit.trail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks an audit trail written by {@link FileAuditSink} or {@link JdbcAuditSink}: every record's
 * chain value, every checkpoint's HMAC under the audit key, the sequence numbers, the order of the
 * files, and that the trail ends with a closing checkpoint. It reports the first record that is
 * wrong, and what is wrong with it. Immutable and thread-safe; holds the key, which it never shows.
 */
public final class TrailVerifier {

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
   * A verifier for unsigned trails ({@link FileAuditSink#unsignedBuilder}): it checks everything a
   * keyed verifier checks, the checkpoints' HMACs under the public key included, but it cannot tell
   * a trail cut at a checkpoint, or rewritten whole, from an untouched one. A signed trail fails it
   * at its first checkpoint.
   */
  public static TrailVerifier unsigned() {
    return new TrailVerifier(Chain.UNSIGNED_KEY, false, false);
  }

  /** Whether this verifier checks signatures under a secret key. */
  public boolean signed() {
    return !java.util.Arrays.equals(key, Chain.UNSIGNED_KEY);
  }

  /**
   * The same verifier, accepting a later part of a trail: the first record given is then taken as
   * given, since what it continues is not there to check it against.
   */
  public TrailVerifier acceptingPartialTrail() {
    return new TrailVerifier(key, true, openTail);
  }

  /**
   * The same verifier, accepting that the last file (or each node's last run) is still being
   * written: its records after the last checkpoint are then attested by the chain only, since a cut
   * there cannot be told from records not written yet.
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
   * Verifies one node's chain in the table {@link JdbcAuditSink} writes.
   *
   * @throws SQLException if the table cannot be read
   */
  public Verification verifyTable(DataSource dataSource, String node) throws SQLException {
    TrailCheck check = new TrailCheck(key, false, partial, openTail);
    check.startSegment();
    long lineNo = 0;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT line_no, line FROM "
                    + JdbcAuditSink.TABLE
                    + " WHERE node_id = ? ORDER BY line_no")) {
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
   * The nodes that have a chain in {@link JdbcAuditSink}'s table.
   *
   * @throws SQLException if the table cannot be read
   */
  public static List<String> nodes(DataSource dataSource) throws SQLException {
    List<String> nodes = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT DISTINCT node_id FROM " + JdbcAuditSink.TABLE + " ORDER BY node_id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        nodes.add(rows.getString(1));
      }
    }
    return nodes;
  }

  /**
   * Reads the file whole, not through a mapping: a file still being written may be truncated
   * meanwhile, which a mapping would turn into a fault.
   */
  private static boolean verifyFile(TrailCheck check, Path file, boolean last) throws IOException {
    String name = file.getFileName().toString();
    check.startSegment();
    byte[] bytes = Files.readAllBytes(file);
    boolean liveTail = last && check.acceptsOpenTail();
    int lineNo = 0;
    int at = 0;
    while (at < bytes.length) {
      lineNo++;
      if (liveTail && (zerosFrom(bytes, at) || unsealed(bytes, at))) {
        break; // the writer's reserved space, and lines it has not sealed yet
      }
      if (zerosFrom(bytes, at)) {
        return check.fail(
            name + ":" + lineNo,
            (bytes.length - at)
                + " zero bytes after the last record: space its"
                + " writer reserved and did not truncate, since it stopped uncleanly (start the sink once to recover)");
      }
      int end = at;
      while (end < bytes.length && bytes[end] != '\n' && end - at < LONGEST_LINE) {
        end++;
      }
      if (end == bytes.length || bytes[end] != '\n') {
        return check.fail(
            name + ":" + lineNo,
            end == bytes.length
                ? "an unfinished last line, without its newline: a torn write"
                : "a line longer than " + LONGEST_LINE + " bytes");
      }
      if (!check.line(name + ":" + lineNo, bytes, at, end - at)) {
        return false;
      }
      at = end + 1;
    }
    return check.endSegment(
        name + " (end, after line " + (lineNo - (at < bytes.length ? 1 : 0)) + ")", last);
  }

  /**
   * Whether the line at {@code at} is being copied in or waits to be sealed (its chain is
   * placeholders).
   */
  private static boolean unsealed(byte[] bytes, int at) {
    int end = at;
    while (end < bytes.length && bytes[end] != '\n' && bytes[end] != 0) {
      end++;
    }
    int length = end - at;
    if (end == bytes.length || bytes[end] == 0) {
      return true; // still being copied in
    }
    return length >= TrailFormat.CHAIN_SUFFIX
        && TrailFormat.isPlaceholder(bytes, at + TrailFormat.chainHexStart(length));
  }

  private static boolean zerosFrom(byte[] bytes, int at) {
    for (int i = at; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "TrailVerifier["
        + (signed() ? "key " + key.length + " bytes" : "unsigned")
        + (partial ? ", partial trail" : "")
        + (openTail ? ", open tail" : "")
        + "]";
  }

  /**
   * What a verification found.
   *
   * @param intact whether nothing is wrong
   * @param where the first record that is wrong ({@code file:line}, or the node and line number),
   *     or {@code null}
   * @param problem what is wrong with it, or {@code null}
   * @param summary what was checked: records, checkpoints, files or nodes, and any caveat
   */
  public record Verification(boolean intact, String where, String problem, String summary) {}
}
