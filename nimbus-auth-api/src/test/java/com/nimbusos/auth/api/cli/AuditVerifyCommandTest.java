package com.nimbusos.auth.api.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KeyAdmin audit verify} on a real trail written by {@link FileAuditSink}: several files,
 * periodic checkpoints. Untouched it passes; every kind of tampering is caught at the first record
 * it breaks.
 */
class AuditVerifyCommandTest {

  private static final String KEY = "an-audit-key-of-at-least-32-bytes-0123456789";

  @TempDir Path dir;

  private List<Path> files;
  private String out;
  private String err;

  @BeforeEach
  void writeATrail() throws Exception {
    try (FileAuditSink sink =
        FileAuditSink.builder(dir.resolve("audit"), KEY.getBytes(UTF_8))
            .rotateBytes(64 * 1024)
            .checkpointEvery(25, Duration.ofHours(1))
            .build()) {
      for (int i = 1; i <= 600; i++) {
        sink.record(
            new AuditEvent(
                Instant.parse("2026-12-02T10:00:00Z"),
                "req_" + i,
                "key_0123456789abcdef",
                null,
                "acme",
                "production",
                "allowed",
                "AUTHENTICATED",
                "GET",
                "/orders/" + i,
                0,
                "192.0.2.10",
                false,
                null));
        if (i % 20 == 0) {
          Thread.sleep(
              10); // lets the sealing thread add its checkpoints among the records, even on a busy
          // machine
        }
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      files = entries.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "the trail spans several files: " + files);
    assertTrue(
        lines(files.get(1)).stream().anyMatch(l -> l.startsWith("{\"checkpoint\":\"periodic\"")));
  }

  @Test
  void anUntouchedTrailIsIntact() {
    assertEquals(0, verify(files));
    assertTrue(out.startsWith("intact: 600 records (seq 1–600), "), out);
    assertEquals("", err);
  }

  @Test
  void aFlippedByteIsCaughtAtItsRecord() throws Exception {
    Path file = files.get(1);
    List<String> lines = lines(file);
    int victim = recordLine(lines, 10);
    lines.set(victim, lines.get(victim).replace("\"GET\"", "\"PUT\""));
    write(file, lines);
    assertBroken(
        file,
        victim,
        "seq "
            + seq(lines.get(victim))
            + " was altered: its chain value does not follow from its content");
  }

  @Test
  void aFlippedByteInAChainValueIsCaughtToo() throws Exception {
    Path file = files.get(1);
    byte[] bytes = Files.readAllBytes(file);
    int at = new String(bytes, UTF_8).indexOf("\"chain\":\"", 2000) + 20;
    bytes[at] = (byte) (bytes[at] == 'a' ? 'b' : 'a');
    Files.write(file, bytes);
    assertEquals(1, verify(files));
    assertTrue(out.startsWith("BROKEN at " + file.getFileName() + ":"), out);
  }

  @Test
  void aDeletedRecordIsCaughtAtTheRecordAfterIt() throws Exception {
    Path file = files.get(1);
    List<String> lines = lines(file);
    int victim = recordLine(lines, 10);
    long seq = seq(lines.get(victim));
    lines.remove(victim);
    write(file, lines);
    assertBroken(
        file,
        victim,
        "expected seq "
            + seq
            + ", found seq "
            + (seq + 1)
            + ": record seq "
            + seq
            + " was removed");
  }

  @Test
  void aDuplicatedRecordIsCaught() throws Exception {
    Path file = files.get(1);
    List<String> lines = lines(file);
    int victim = recordLine(lines, 10);
    long seq = seq(lines.get(victim));
    lines.add(victim + 1, lines.get(victim));
    write(file, lines);
    assertBroken(
        file,
        victim + 1,
        "seq " + seq + " comes again after seq " + seq + ": a duplicated or moved record");
  }

  @Test
  void twoRecordsSwappedAreCaught() throws Exception {
    Path file = files.get(1);
    List<String> lines = lines(file);
    int first = recordLine(lines, 10);
    int second = recordLine(lines, 11);
    String moved = lines.get(first);
    lines.set(first, lines.get(second));
    lines.set(second, moved);
    write(file, lines);
    assertBroken(file, first, "expected seq " + seq(moved) + ", found seq " + (seq(moved) + 1));
  }

  @Test
  void aTailCutRightAfterACheckpointIsCaught() throws Exception {
    Path file = files.get(files.size() - 1);
    List<String> lines = lines(file);
    int checkpoint = lines.size() - 2;
    while (!(lines.get(checkpoint).startsWith("{\"checkpoint\"")
        && lines.get(checkpoint + 1).startsWith("{\"seq\""))) {
      checkpoint--; // the last checkpoint that records follow
    }
    write(file, lines.subList(0, checkpoint + 1));
    assertEquals(1, verify(files));
    assertTrue(
        out.startsWith(
            "BROKEN at "
                + file.getFileName()
                + " (end, after line "
                + (checkpoint + 1)
                + "): ends without a"
                + " closing checkpoint"),
        out);
  }

  @Test
  void aTailCutAmongRecordsIsCaught() throws Exception {
    Path file = files.get(files.size() - 1);
    List<String> lines = lines(file);
    int cut = lines.size() - 3;
    assertTrue(lines.get(cut - 1).startsWith("{\"seq\""), "cut among records");
    write(file, lines.subList(0, cut));
    assertEquals(1, verify(files));
    assertTrue(out.contains("ends without a closing checkpoint"), out);
  }

  @Test
  void aTailCutInTheMiddleOfALineIsCaught() throws Exception {
    Path file = files.get(files.size() - 1);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 40));
    assertEquals(1, verify(files));
    assertTrue(out.contains("an unfinished last line, without its newline"), out);
  }

  @Test
  void aMissingRotatedFileIsCaught() throws Exception {
    List<Path> withoutSecond = new ArrayList<>(files);
    withoutSecond.remove(1);
    assertEquals(1, verify(withoutSecond));
    assertTrue(
        out.startsWith(
            "BROKEN at "
                + files.get(2).getFileName()
                + ":1: this is file #3, but file #2 should follow file"
                + " #1: 1 file(s) missing"),
        out);
  }

  @Test
  void aMissingLastFileIsCaught() {
    assertEquals(1, verify(files.subList(0, files.size() - 1)));
    assertTrue(
        out.contains("ends with a rotation to file #" + files.size() + ", which was not given"),
        out);
  }

  @Test
  void aMissingFirstFileIsCaughtUnlessThePartIsVerifiedAlone() {
    assertEquals(1, verify(files.subList(1, files.size())));
    assertTrue(out.contains("the trail starts at file #2: files #1 to #1 are missing"), out);
    assertEquals(0, verify(files.subList(1, files.size()), "--partial"));
    assertTrue(out.contains("is taken as given"), out);
  }

  @Test
  void aChainRewrittenWithoutTheKeyFailsAtTheNextCheckpoint() throws Exception {
    Path file = files.get(1);
    List<String> lines = lines(file);
    int victim = recordLine(lines, 10);
    lines.set(victim, lines.get(victim).replace("\"GET\"", "\"PUT\""));
    byte[] head = HexFormat.of().parseHex(chain(lines.get(victim - 1)));
    for (int i = victim;
        i < lines.size();
        i++) { // what anyone can recompute: every chain value from there on
      String line = lines.get(i);
      String canonical = line.substring(0, line.length() - 76);
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(head);
      head = sha256.digest(canonical.getBytes(UTF_8));
      lines.set(i, canonical + ",\"chain\":\"" + HexFormat.of().formatHex(head) + "\"}");
    }
    write(file, lines);
    int checkpoint = victim + 1;
    while (!lines.get(checkpoint).startsWith("{\"checkpoint\"")) {
      checkpoint++;
    }
    assertBroken(file, checkpoint, "the checkpoint's HMAC does not verify");
  }

  @Test
  void anotherKeyDoesNotVerify() {
    assertEquals(
        1, verify(files, Map.of("AUDIT_KEY", "another-key-of-at-least-32-bytes-00000000")));
    assertTrue(
        out.startsWith(
            "BROKEN at "
                + files.get(0).getFileName()
                + ":1: the checkpoint's HMAC does not verify"),
        out);
  }

  @Test
  void verifiesEveryNodesChainInAJdbcTrail() throws Exception {
    String url = "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    DriverManagerDataSource database = new DriverManagerDataSource(url, null, null);
    for (String node : List.of("web-1", "web-2")) {
      try (var sink =
          com.nimbusos.auth.api.audit.trail.JdbcAuditSink.builder(
                  database, "h2", KEY.getBytes(UTF_8))
              .node(node)
              .build()) {
        for (int i = 1; i <= 20; i++) {
          sink.record(
              new AuditEvent(
                  Instant.parse("2026-12-02T10:00:00Z"),
                  node + "_req_" + i,
                  null,
                  null,
                  null,
                  null,
                  "allowed",
                  "PUBLIC",
                  "GET",
                  "/health",
                  0,
                  "192.0.2.10",
                  false,
                  null));
        }
      }
    }
    assertEquals(
        0,
        run(Map.of("AUDIT_KEY", KEY), "audit", "verify", "--key-env", "AUDIT_KEY", "--jdbc", url));
    assertEquals(
        2, out.lines().filter(l -> l.startsWith("intact: 20 records (seq 1–20), ")).count(), out);

    try (var connection = database.getConnection();
        var statement = connection.createStatement()) {
      statement.executeUpdate(
          "DELETE FROM nimbus_audit_record WHERE node_id = 'web-2' AND seq = 7");
    }
    assertEquals(
        1,
        run(
            Map.of("AUDIT_KEY", KEY),
            "audit",
            "verify",
            "--key-env",
            "AUDIT_KEY",
            "--jdbc",
            url,
            "--node",
            "web-2"));
    assertTrue(out.startsWith("BROKEN at node web-2 line 9: expected seq 7, found seq 8"), out);
  }

  @Test
  void explainsUsageErrorsWithExitCode2() {
    assertEquals(2, run(Map.of(), "audit", "verify", files.get(0).toString()));
    assertTrue(err.contains("give either --key-env <VAR>"), err);
    assertEquals(
        2,
        run(
            Map.of("AUDIT_KEY", "short"),
            "audit",
            "verify",
            "--key-env",
            "AUDIT_KEY",
            files.get(0).toString()));
    assertTrue(err.contains("at least 32 bytes"), err);
    assertEquals(2, run(Map.of("AUDIT_KEY", KEY), "audit", "verify", "--key-env", "AUDIT_KEY"));
    assertEquals(2, run(Map.of("AUDIT_KEY", KEY), "audit", "check", "--key-env", "AUDIT_KEY"));
    assertFalse(err.contains(KEY));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void assertBroken(Path file, int index, String problem) {
    assertEquals(1, verify(files), out);
    assertTrue(
        out.startsWith("BROKEN at " + file.getFileName() + ":" + (index + 1) + ": " + problem),
        out);
  }

  @Test
  void anUnsignedTrailVerifiesOnlyWhenAskedForByNameAndCatchesAnAlteredRecord() throws Exception {
    Path unsignedDir = Files.createDirectory(dir.resolve("unsigned"));
    try (FileAuditSink sink = FileAuditSink.unsignedBuilder(unsignedDir.resolve("audit")).build()) {
      for (int i = 1; i <= 30; i++) {
        sink.record(
            new AuditEvent(
                Instant.parse("2026-12-02T10:00:00Z"),
                "req_" + i,
                null,
                null,
                null,
                null,
                "denied",
                "MISSING_KEY",
                "GET",
                "/orders",
                401,
                "192.0.2.10",
                false,
                null));
      }
    }
    List<Path> trail = List.of(unsignedDir.resolve("audit.000001.jsonl"));
    assertEquals(2, run(Map.of(), "audit", "verify", trail.get(0).toString()));
    assertTrue(err.contains("give either --key-env <VAR>"), err);
    assertEquals(
        2,
        run(
            Map.of("AUDIT_KEY", KEY),
            "audit",
            "verify",
            "--unsigned",
            "--key-env",
            "AUDIT_KEY",
            trail.get(0).toString()));

    assertEquals(0, run(Map.of(), "audit", "verify", "--unsigned", trail.get(0).toString()));
    assertTrue(out.startsWith("intact: 30 records (seq 1–30), "), out);
    assertTrue(out.contains("unsigned trail: "), out);
    // A key-holder's check refuses a trail sealed under the public key: it is not the trail the key
    // signs.
    assertEquals(1, verify(trail));

    List<String> lines = lines(trail.get(0));
    int victim = recordLine(lines, 10);
    lines.set(victim, lines.get(victim).replace("\"GET\"", "\"PUT\""));
    write(trail.get(0), lines);
    assertEquals(1, run(Map.of(), "audit", "verify", "--unsigned", trail.get(0).toString()));
    assertTrue(out.contains("was altered"), out);
  }

  @Test
  void aSignedTrailFailsTheUnsignedCheckAtItsFirstCheckpoint() {
    assertEquals(1, run(Map.of(), "audit", "verify", "--unsigned", files.get(0).toString()));
    assertTrue(out.contains("the trail is signed (give its audit key)"), out);
  }

  private int verify(List<Path> trail, String... flags) {
    return verify(trail, Map.of("AUDIT_KEY", KEY), flags);
  }

  private int verify(List<Path> trail, Map<String, String> environment, String... flags) {
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--key-env", "AUDIT_KEY"));
    args.addAll(List.of(flags));
    trail.forEach(f -> args.add(f.toString()));
    return run(environment, args.toArray(String[]::new));
  }

  private int run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code =
        new KeyAdmin(
                new PrintStream(outBytes, true, UTF_8),
                new PrintStream(errBytes, true, UTF_8),
                environment::get)
            .run(args);
    out = outBytes.toString(UTF_8);
    err = errBytes.toString(UTF_8);
    return code;
  }

  /** The index of the {@code n}th event record of the lines. */
  private static int recordLine(List<String> lines, int n) {
    int seen = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("{\"seq\"") && ++seen == n) {
        return i;
      }
    }
    throw new AssertionError("fewer than " + n + " records");
  }

  private static long seq(String line) {
    return Long.parseLong(line.replaceFirst("^\\{\"seq\":([0-9]+),.*", "$1"));
  }

  private static String chain(String line) {
    return line.substring(line.length() - 66, line.length() - 2);
  }

  private static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, UTF_8));
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", UTF_8);
  }
}
