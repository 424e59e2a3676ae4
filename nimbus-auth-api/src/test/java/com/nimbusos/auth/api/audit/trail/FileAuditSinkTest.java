package com.nimbusos.auth.api.audit.trail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.contract.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditSinkTest {

  @TempDir Path dir;

  private Path base() {
    return dir.resolve("audit");
  }

  @Test
  void writesEveryRecordAsOneChainedLineAndEndsTheFileWithACloseCheckpoint() {
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      for (int i = 1; i <= 50; i++) {
        sink.record(Trails.event("req_" + i));
        sink.complete(
            new AuditCompletion(
                Instant.parse("2026-12-02T10:00:01Z"), "req_" + i, null, null, 200, 1234));
      }
    }
    List<String> lines = Trails.lines(base());
    assertTrue(lines.get(0).startsWith("{\"checkpoint\":\"open\","), lines.get(0));
    assertTrue(
        lines.get(lines.size() - 1).startsWith("{\"checkpoint\":\"close\","),
        lines.get(lines.size() - 1));
    assertEquals(
        "{\"seq\":1,\"time\":\"2026-12-02T10:00:00Z\",\"requestId\":\"req_1\",\"keyId\":\"key_0123456789abcdef\","
            + "\"owner\":\"acme\",\"environment\":\"production\",\"outcome\":\"allowed\",\"reason\":\"AUTHENTICATED\","
            + "\"method\":\"GET\",\"path\":\"/orders/42\",\"clientAddress\":\"192.0.2.10\",\"newNetwork\":false,\"chain\":\"",
        lines.get(1).substring(0, lines.get(1).length() - 66));
    assertTrue(
        lines
            .get(2)
            .startsWith(
                "{\"seq\":2,\"time\":\"2026-12-02T10:00:01Z\",\"requestId\":\"req_1\",\"completed\":true,"
                    + "\"status\":200,\"durationMicros\":1234,\"chain\":\""),
        lines.get(2));
    TrailVerifier.Verification verification = Trails.verify(base());
    assertTrue(verification.intact(), verification.toString());
    assertTrue(
        verification.summary().startsWith("100 records (seq 1–100), 2 checkpoints, 1 file"),
        verification.summary());
  }

  @Test
  void concurrentRequestThreadsEachGetTheirOwnPlaceAndSequenceNumber() throws Exception {
    int threads = 8;
    int each = 2_000;
    try (FileAuditSink sink =
        FileAuditSink.builder(base(), Trails.KEY).rotateBytes(512 * 1024).build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread writer =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < each; i++) {
                    sink.record(Trails.event("req_" + thread + "_" + i));
                  }
                });
        writer.start();
        writers.add(writer);
      }
      start.countDown();
      for (Thread writer : writers) {
        writer.join();
      }
    }
    List<String> ids = Trails.requestIds(base());
    assertEquals(threads * each, ids.size());
    assertEquals(threads * each, new HashSet<>(ids).size());
    assertTrue(Trails.files(base()).size() > 5, "rotated by size: " + Trails.files(base()));
    TrailVerifier.Verification verification = Trails.verify(base());
    assertTrue(verification.intact(), verification.toString());
  }

  @Test
  void aRestartContinuesTheChainAndTheSequenceInANewFile() {
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      sink.record(Trails.event("req_a"));
    }
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      sink.record(Trails.event("req_b"));
    }
    assertEquals(2, Trails.files(base()).size());
    assertTrue(
        Trails.lines(base()).stream()
            .anyMatch(l -> l.startsWith("{\"seq\":2,") && l.contains("req_b")));
    TrailVerifier.Verification verification = Trails.verify(base());
    assertTrue(verification.intact(), verification.toString());
  }

  @Test
  void startsANewFileEachDayAndTheChainRunsAcrossIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T23:59:59Z"));
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).clock(clock).build()) {
      sink.record(Trails.event("req_before"));
      clock.set(Instant.parse("2026-12-03T00:00:01Z"));
      awaitFiles(2);
      sink.record(Trails.event("req_after"));
    }
    List<Path> files = Trails.files(base());
    assertEquals(2, files.size());
    assertTrue(Files.readString(files.get(0)).contains("\"checkpoint\":\"rotate\""));
    assertTrue(Files.readString(files.get(1)).contains("req_after"));
    TrailVerifier.Verification verification = Trails.verify(base());
    assertTrue(verification.intact(), verification.toString());
  }

  @Test
  void writesCheckpointsEveryNRecords() {
    try (FileAuditSink sink =
        FileAuditSink.builder(base(), Trails.KEY)
            .checkpointEvery(10, Duration.ofHours(1))
            .build()) {
      for (int i = 0; i < 100; i++) {
        sink.record(Trails.event("req_" + i));
        if (i % 10 == 9) {
          sleep(30); // lets the sealing thread see each ten
        }
      }
    }
    long periodic =
        Trails.lines(base()).stream()
            .filter(l -> l.startsWith("{\"checkpoint\":\"periodic\""))
            .count();
    assertTrue(periodic >= 5, "periodic checkpoints: " + periodic);
    assertTrue(Trails.verify(base()).intact());
  }

  @Test
  void aTrailStillBeingWrittenVerifiesOnlyAsAnOpenTail() throws Exception {
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      for (int i = 0; i < 100; i++) {
        sink.record(Trails.event("req_" + i));
      }
      TrailVerifier.Verification open =
          Trails.VERIFIER.acceptingOpenTail().verifyFiles(Trails.files(base()));
      for (int tries = 0; !open.intact() && tries < 100; tries++) {
        sleep(20); // the sealing thread has not sealed even the file's first line yet
        open = Trails.VERIFIER.acceptingOpenTail().verifyFiles(Trails.files(base()));
      }
      assertTrue(open.intact(), open.toString());
      TrailVerifier.Verification strict = Trails.verify(base());
      assertFalse(strict.intact());
      assertTrue(open.summary().contains("attested by the chain only (open tail)"), open.summary());
    }
  }

  @Test
  void batchFsyncRecordsAreOnDiskWhenRecordReturns() {
    try (FileAuditSink sink =
        FileAuditSink.builder(base(), Trails.KEY).fsync(FileAuditSink.Fsync.BATCH).build()) {
      for (int i = 0; i < 20; i++) {
        sink.record(Trails.event("req_" + i));
      }
      assertEquals(20, Trails.requestIds(base()).size(), "in the file before close");
    }
    assertTrue(Trails.verify(base()).intact());
  }

  @Test
  void aKilledProcessLosesNoRecordThatRecordReturnedFor() throws Exception {
    for (String fsync : List.of("none", "batch")) {
      Path base = dir.resolve("killed-" + fsync);
      Set<String> answered = killMidLoad(base, fsync);
      assertTrue(
          answered.size() > 500,
          fsync + ": too few records before the kill to prove anything: " + answered.size());
      TrailVerifier.Verification before = Trails.VERIFIER.verifyFiles(Trails.files(base));
      assertFalse(before.intact(), "an unrecovered trail does not pass: " + before);

      FileAuditSink.builder(base, Trails.KEY).build().close(); // recovers the trail
      TrailVerifier.Verification after = Trails.verify(base);
      assertTrue(after.intact(), fsync + ": " + after);
      Set<String> recorded = new HashSet<>(Trails.requestIds(base));
      Set<String> missing = new HashSet<>(answered);
      missing.removeAll(recorded);
      assertEquals(Set.of(), missing, fsync + ": answered but not in the trail");
    }
  }

  @Test
  void recoversUnsealedAndTornRecordsAndListsWhatItCouldNotSave() throws Exception {
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      sink.record(Trails.event("req_1"));
      sink.record(Trails.event("req_2"));
    }
    // What a kill leaves: the close checkpoint not there, lines not sealed yet, one torn, reserved
    // space.
    Path file = Trails.files(base()).get(0);
    List<String> lines = Files.readAllLines(file, UTF_8);
    StringBuilder crashed = new StringBuilder();
    lines.subList(0, lines.size() - 1).forEach(l -> crashed.append(l).append('\n'));
    byte[] seq3 = TrailFormat.eventLine(3, TrailFormat.eventTail(Trails.event("req_3").toJson()));
    byte[] seq4 = TrailFormat.eventLine(4, TrailFormat.eventTail(Trails.event("req_4").toJson()));
    byte[] seq5 = TrailFormat.eventLine(5, TrailFormat.eventTail(Trails.event("req_5").toJson()));
    byte[] content = crashed.toString().getBytes(UTF_8);
    byte[] image = new byte[content.length + seq3.length + seq4.length + seq5.length + 4096];
    int at = 0;
    System.arraycopy(content, 0, image, at, content.length);
    at += content.length;
    System.arraycopy(seq3, 0, image, at, seq3.length);
    at += seq3.length;
    System.arraycopy(seq4, 0, image, at, 40); // torn: its copy stopped after 40 bytes
    at += seq4.length;
    System.arraycopy(seq5, 0, image, at, seq5.length);
    Files.write(file, image);

    TrailVerifier.Verification unrecovered = Trails.verify(base());
    assertFalse(unrecovered.intact());
    assertTrue(unrecovered.problem().startsWith("not sealed"), unrecovered.toString());
    assertEquals(file.getFileName() + ":" + lines.size(), unrecovered.where());

    FileAuditSink.builder(base(), Trails.KEY).build().close();
    TrailVerifier.Verification recovered = Trails.verify(base());
    assertTrue(recovered.intact(), recovered.toString());
    List<String> after = Files.readAllLines(file, UTF_8);
    String recover = after.get(after.size() - 1);
    assertTrue(recover.startsWith("{\"checkpoint\":\"recover\","), recover);
    assertTrue(recover.contains("\"lastSeq\":5,\"lost\":[4],"), recover);
    assertTrue(
        recover.contains(
            "\"fragments\":[\""
                + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(seq4, 40))
                + "\"]"),
        recover);
    assertEquals(
        List.of("req_1", "req_2", "req_3", "req_5"), Trails.requestIds(base()).subList(0, 4));
  }

  @Test
  void refusesRecordsWhileItsFileCannotBeCreatedAndRecordsAgainOnceItCan() throws Exception {
    Path blocker = dir.resolve("logs");
    Files.writeString(blocker, "a regular file where the trail's directory should be");
    Path base = blocker.resolve("audit");
    try (FileAuditSink sink = FileAuditSink.builder(base, Trails.KEY).build()) {
      AuditTrailUnavailableException refused =
          assertThrows(
              AuditTrailUnavailableException.class, () -> sink.record(Trails.event("req_refused")));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "the audit trail " + blocker.resolve("audit.*.jsonl") + " cannot be written: "),
          refused.getMessage());
      assertFalse(refused.getMessage().contains(Trails.KEY_TEXT));

      Files.delete(blocker);
      Files.createDirectory(blocker);
      awaitRecording(sink, "req_after");
    }
    assertEquals(List.of("req_after"), Trails.requestIds(base));
    assertTrue(Trails.verify(base).intact());
  }

  @Test
  void refusesRecordsWhenTheDiskIsFullAndRecordsAgainOnceThereIsRoom() throws Exception {
    FullDisk disk = new FullDisk();
    try (FileAuditSink sink =
        FileAuditSink.builder(base(), Trails.KEY).rotateBytes(64 * 1024).storage(disk).build()) {
      sink.record(Trails.event("req_first")); // creates the run's first file
      disk.full = true;
      AuditTrailUnavailableException refused = null;
      int recorded = 0;
      for (int i = 0; i < 1000 && refused == null; i++) {
        try {
          sink.record(Trails.event("req_" + i));
          recorded++;
        } catch (AuditTrailUnavailableException e) {
          refused = e;
        }
      }
      assertTrue(
          refused != null
              && refused
                  .getMessage()
                  .contains(
                      "is full and the next one cannot be created: "
                          + "IOException: No space left on device"),
          String.valueOf(refused));
      assertTrue(recorded > 100, "the file's own space was used first: " + recorded);

      disk.full = false;
      awaitRecording(sink, "req_after");
    }
    TrailVerifier.Verification verification = Trails.verify(base());
    assertTrue(verification.intact(), verification.toString());
    assertTrue(Trails.requestIds(base()).contains("req_after"));
  }

  @Test
  void sinksOnOneTrailShareItsWriterUntilTheLastIsClosed() {
    FileAuditSink filter = FileAuditSink.builder(base(), Trails.KEY).build();
    FileAuditSink jaxrs = FileAuditSink.builder(base(), Trails.KEY).build();
    filter.record(Trails.event("req_1"));
    filter.close();
    jaxrs.record(Trails.event("req_2"));
    jaxrs.close();
    assertEquals(1, Trails.files(base()).size());
    assertEquals(List.of("req_1", "req_2"), Trails.requestIds(base()));
    assertTrue(Trails.verify(base()).intact());
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      IllegalStateException other =
          assertThrows(
              IllegalStateException.class,
              () ->
                  FileAuditSink.builder(base(), Trails.KEY)
                      .fsync(FileAuditSink.Fsync.BATCH)
                      .build());
      assertTrue(
          other.getMessage().contains("open already with other settings"), other.getMessage());
    }
  }

  @Test
  void refusesATrailAnotherWriterHolds() throws Exception {
    Files.createDirectories(dir);
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve("audit.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      IllegalStateException conflict =
          assertThrows(
              IllegalStateException.class, () -> FileAuditSink.builder(base(), Trails.KEY).build());
      assertTrue(
          conflict.getMessage().contains("give each its own nimbus.auth.audit.file"),
          conflict.getMessage());
    }
  }

  @Test
  void neverShowsTheKey() {
    try (FileAuditSink sink = FileAuditSink.builder(base(), Trails.KEY).build()) {
      assertEquals(
          "FileAuditSink[" + dir.resolve("audit.*.jsonl") + ", fsync=none]", sink.toString());
      assertFalse(sink.describe().contains(Trails.KEY_TEXT));
      assertFalse(Trails.VERIFIER.toString().contains(Trails.KEY_TEXT));
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Runs {@link TrailChild}, kills it with SIGKILL mid-load, and returns the ids it printed. */
  private static Set<String> killMidLoad(Path base, String fsync) throws Exception {
    String classPath =
        location(FileAuditSink.class) + java.io.File.pathSeparator + location(TrailChild.class);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                classPath,
                TrailChild.class.getName(),
                base.toString(),
                "4",
                fsync)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Set<String> answered = ConcurrentHashMap.newKeySet();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("req_")) {
                    answered.add(line);
                  }
                  if (answered.size() >= 3_000) {
                    enough.countDown();
                  }
                }
              } catch (java.io.IOException ignored) {
                // the pipe closes when the child dies
              }
            });
    reader.start();
    boolean loaded = enough.await(60, TimeUnit.SECONDS);
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    reader.join(10_000);
    assertTrue(loaded, "the child did not write 3000 records in 60 s");
    return answered;
  }

  private static String location(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private void awaitFiles(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Trails.files(base()).size() < count && System.nanoTime() < deadline) {
      sleep(10);
    }
    assertEquals(count, Trails.files(base()).size());
  }

  private static void awaitRecording(FileAuditSink sink, String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        sink.record(Trails.event(id));
        return;
      } catch (AuditTrailUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(50);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A disk that fills up on demand: no new blocks while {@link #full}. */
  private static final class FullDisk implements TrailStorage {
    volatile boolean full;

    @Override
    public void allocate(FileChannel channel, long position, int length)
        throws java.io.IOException {
      if (full) {
        throw new java.io.IOException("No space left on device");
      }
      TrailStorage.super.allocate(channel, position, length);
    }
  }
}
