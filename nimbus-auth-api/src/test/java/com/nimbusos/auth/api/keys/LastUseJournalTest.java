package com.nimbusos.auth.api.keys;

import static com.nimbusos.auth.api.keys.KeyStoreContract.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON file store's journal of last uses: a batch is one append beside the file, which stays as
 * it was; other store objects see the use without a new revision; the journal survives a crash in
 * mid-append and is folded into the file at the next change, or when it grows too large.
 */
class LastUseJournalTest {

  private static final Instant T0 = Instant.parse("2026-11-30T08:15:00Z");

  @TempDir Path dir;

  @Test
  void aBatchOfLastUsesAppendsToTheJournalAndLeavesTheFileAndItsRevisionAlone() throws Exception {
    JsonFileKeyStore store = storeWith("key_1", "key_2", "key_3");
    byte[] before = Files.readAllBytes(store.file());
    FileTime modified = Files.getLastModifiedTime(store.file());
    long revision = store.revision();

    store.recordLastUsed(Map.of("key_1", T0, "key_unknown", T0));
    store.recordLastUsed(Map.of("key_2", T0.plusSeconds(1), "key_1", T0.minusSeconds(1)));

    assertArrayEquals(before, Files.readAllBytes(store.file()), "the file is not rewritten");
    assertEquals(modified, Files.getLastModifiedTime(store.file()));
    assertEquals(revision, store.revision());
    assertEquals(
        List.of(T0 + " key_1", T0.plusSeconds(1) + " key_2"),
        Files.readAllLines(store.lastUseJournal()),
        "one line per use that moves a known key's last use forward");
    assertEquals(T0, store.findById("key_1").orElseThrow().lastUsedAt());
    assertEquals(T0.plusSeconds(1), store.findById("key_2").orElseThrow().lastUsedAt());
    assertNull(store.findById("key_3").orElseThrow().lastUsedAt());
  }

  @Test
  void anotherStoreOnTheFileSeesTheUseAtOnceWithoutANewRevisionOrItsWatchTellingAnyone()
      throws Exception {
    JsonFileKeyStore validator = storeWith("key_1");
    JsonFileKeyStore other = JsonFileKeyStore.open(validator.file());
    long revision = other.revision();
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    other.addChangeListener(listener); // starts the watch of the directory
    try {
      for (int batch = 0; batch < 20; batch++) {
        validator.recordLastUsed(Map.of("key_1", T0.plusSeconds(batch)));
        assertEquals(
            T0.plusSeconds(batch), other.list().get(0).lastUsedAt(), "seen on the next read");
      }
      Thread.sleep(300); // the watch has long seen the appends by now
      assertEquals(0, told.get(), "no cache dropped for a last use");
      assertEquals(revision, other.revision());
      assertEquals(revision, validator.revision());
    } finally {
      other.removeChangeListener(listener);
    }
  }

  @Test
  void aLineCutShortByACrashIsSkippedThenCutOffByTheNextAppend() throws Exception {
    JsonFileKeyStore store = storeWith("key_1", "key_2", "key_10");
    Files.writeString(
        store.lastUseJournal(),
        T0
            + " key_1\n"
            + "not a use\n"
            + T0
            + " key_gone\n"
            + T0.plusSeconds(5)
            + " key_1"); // the crash cut the line end (and might have cut the "0" of key_10)

    JsonFileKeyStore reopened = JsonFileKeyStore.open(store.file());
    assertEquals(T0, reopened.findById("key_1").orElseThrow().lastUsedAt(), "the torn use is not");
    assertNull(reopened.findById("key_10").orElseThrow().lastUsedAt());

    reopened.recordLastUsed(Map.of("key_2", T0.plusSeconds(9)));
    assertEquals(
        T0 + " key_1\nnot a use\n" + T0 + " key_gone\n" + T0.plusSeconds(9) + " key_2\n",
        Files.readString(store.lastUseJournal()),
        "the torn tail cut off, so that it cannot run into the new line");
    JsonFileKeyStore third = JsonFileKeyStore.open(store.file());
    assertEquals(T0, third.findById("key_1").orElseThrow().lastUsedAt());
    assertEquals(T0.plusSeconds(9), third.findById("key_2").orElseThrow().lastUsedAt());
    assertEquals(T0.plusSeconds(9), store.findById("key_2").orElseThrow().lastUsedAt());
  }

  @Test
  void aLineAppendedWhileAnotherStoreReadsIsReadWhenComplete() throws Exception {
    JsonFileKeyStore store = storeWith("key_1");
    Files.writeString(store.lastUseJournal(), T0 + " key_");
    assertNull(store.findById("key_1").orElseThrow().lastUsedAt(), "half a line is not a use");
    Files.writeString(store.lastUseJournal(), "1\n", StandardOpenOption.APPEND);
    assertEquals(T0, store.findById("key_1").orElseThrow().lastUsedAt());
  }

  @Test
  void aChangeThatRewritesTheFileFoldsTheJournalIntoIt() throws Exception {
    JsonFileKeyStore store = storeWith("key_1", "key_2");
    JsonFileKeyStore other = JsonFileKeyStore.open(store.file());
    long revision = store.revision();
    store.recordLastUsed(Map.of("key_1", T0));
    assertTrue(Files.exists(store.lastUseJournal()));

    store.update(store.findById("key_2").orElseThrow().revoked(T0));

    assertFalse(Files.exists(store.lastUseJournal()), "folded, then deleted");
    assertTrue(
        Files.readString(store.file()).contains("\"lastUsedAt\": \"" + T0 + "\""),
        Files.readString(store.file()));
    assertEquals(revision + 1, store.revision(), "one change, one revision");
    assertEquals(T0, other.findById("key_1").orElseThrow().lastUsedAt());
    assertEquals(T0, JsonFileKeyStore.open(store.file()).findById("key_1").get().lastUsedAt());

    store.recordLastUsed(Map.of("key_1", T0.plusSeconds(1)));
    assertEquals(
        List.of(T0.plusSeconds(1) + " key_1"),
        Files.readAllLines(store.lastUseJournal()),
        "a new journal");
    assertEquals(T0.plusSeconds(1), other.findById("key_1").orElseThrow().lastUsedAt());
  }

  @Test
  void aJournalThatWouldOutgrowAQuarterOfTheFileIsFoldedIntoItWithoutANewRevision()
      throws Exception {
    List<String> ids = new ArrayList<>();
    Path file = dir.resolve("keys.json");
    writeStore(file, 3_000, ids);
    JsonFileKeyStore store = JsonFileKeyStore.open(file);
    JsonFileKeyStore other = JsonFileKeyStore.open(file);
    long revision = other.revision();
    long bound = Math.max(JsonFileKeyStore.MIN_JOURNAL_BOUND, Files.size(file) / 4);
    int batches = 0;
    long journal;
    do {
      Map<String, Instant> everyKey = new LinkedHashMap<>();
      for (String id : ids) {
        everyKey.put(id, T0.plusSeconds(batches));
      }
      store.recordLastUsed(everyKey);
      batches++;
      journal = Files.exists(store.lastUseJournal()) ? Files.size(store.lastUseJournal()) : 0;
      assertTrue(journal <= bound, journal + " bytes > " + bound);
    } while (journal > 0 && batches < 10);

    assertTrue(batches > 1 && journal == 0, "folded after " + batches + " batches");
    String text = Files.readString(file);
    assertTrue(text.contains("\"lastUsedAt\": \"" + T0.plusSeconds(batches - 1) + "\""));
    assertTrue(text.contains("\"revision\": 4,"), "the file's revision kept");
    assertEquals(revision, other.revision());
    assertEquals(T0.plusSeconds(batches - 1), other.findById(ids.get(2_999)).get().lastUsedAt());
  }

  @Test
  void twoStoresOfOneJvmWriteLastUsesAtOnceWithoutTrippingOverTheFileLock() throws Exception {
    JsonFileKeyStore first = storeWith("key_1", "key_2");
    JsonFileKeyStore second = JsonFileKeyStore.open(first.file());
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (JsonFileKeyStore store : List.of(first, second)) {
        String id = store == first ? "key_1" : "key_2";
        writers.add(
            threads.submit(
                () -> {
                  for (int i = 1; i <= 200; i++) {
                    store.recordLastUsed(Map.of(id, T0.plusSeconds(i)));
                    if (i % 50 == 0) {
                      store.setOwnerDisabled("acme", i % 100 == 0); // folds
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      threads.shutdownNow();
    }
    JsonFileKeyStore reopened = JsonFileKeyStore.open(first.file());
    assertEquals(T0.plusSeconds(200), reopened.findById("key_1").orElseThrow().lastUsedAt());
    assertEquals(T0.plusSeconds(200), reopened.findById("key_2").orElseThrow().lastUsedAt());
  }

  @Test
  void aKeyIdThatWouldNotFitOnOneLineIsWrittenToTheFileInstead() throws Exception {
    JsonFileKeyStore store = JsonFileKeyStore.open(dir.resolve("keys.json"));
    store.insert(record("key\nodd", "sk_test_odd"));
    long revision = store.revision();
    store.recordLastUsed(Map.of("key\nodd", T0));
    assertFalse(Files.exists(store.lastUseJournal()));
    assertEquals(revision, store.revision());
    assertEquals(
        T0, JsonFileKeyStore.open(store.file()).findById("key\nodd").orElseThrow().lastUsedAt());
  }

  @Test
  void journalsNothingSecret() throws Exception {
    JsonFileKeyStore store = storeWith("key_1");
    KeyRecord record = store.findById("key_1").orElseThrow();
    store.recordLastUsed(Map.of("key_1", T0));
    String journal = Files.readString(store.lastUseJournal());
    assertEquals(T0 + " key_1\n", journal);
    assertFalse(journal.contains(record.hashHex()));
    assertNotEquals(-1, journal.indexOf("key_1"));
  }

  @Test
  void theJournalIsMadeOwnerOnlyAsTheStoresFileIs() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    JsonFileKeyStore store = storeWith("key_1");
    store.recordLastUsed(Map.of("key_1", T0));
    assertEquals(
        PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(store.lastUseJournal()));
    assertEquals(
        PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(store.file()),
        "the store's own file, for comparison");
  }

  private JsonFileKeyStore storeWith(String... ids) throws KeyStoreException {
    JsonFileKeyStore store = JsonFileKeyStore.open(dir.resolve("keys-" + ids.length + ".json"));
    for (String id : ids) {
      store.insert(record(id, "sk_test_" + id));
    }
    return store;
  }

  /** A store file of {@code count} keys written directly: inserting would rewrite it each time. */
  private static void writeStore(Path file, int count, List<String> ids) throws Exception {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("{\"version\": 1, \"revision\": 4, \"disabledOwners\": [], \"keys\": [");
      for (int i = 0; i < count; i++) {
        String id = String.format("key_%016x", i);
        ids.add(id);
        byte[] hash = KeyHasher.sha256().hash("sk_test_" + i);
        out.write(
            (i == 0 ? "" : ",")
                + "\n{\"keyId\": \""
                + id
                + "\", \"hash\": \""
                + HexFormat.of().formatHex(hash)
                + "\", \"owner\": \"partner-"
                + i
                + "\", \"environment\": \"production\", \"scopes\": [\"orders:read\"],"
                + " \"last4\": \"Ab9z\", \"createdAt\": \"2026-01-01T00:00:00Z\", \"expiresAt\": null,"
                + " \"revokedAt\": null, \"lastUsedAt\": null}");
      }
      out.write("]}\n");
    }
  }
}
