package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileKeyStoreTest extends KeyStoreContract {

  @TempDir Path dir;

  @Override
  protected KeyStore newStore() throws KeyStoreException {
    return JsonFileKeyStore.open(dir.resolve("keys-" + System.nanoTime() + ".json"));
  }

  @Override
  protected KeyStore anotherViewOfTheSameStorage() throws KeyStoreException {
    return JsonFileKeyStore.open(((JsonFileKeyStore) store).file());
  }

  @Test
  void keepsEverythingAcrossReopening() throws Exception {
    JsonFileKeyStore first = (JsonFileKeyStore) store;
    KeyRecord record =
        record("key_1", "sk_test_one").revoked(Instant.parse("2026-11-28T13:00:00Z"));
    first.insert(record);
    first.setOwnerDisabled("globex", true);
    JsonFileKeyStore reopened = JsonFileKeyStore.open(first.file());
    assertEquals(first.list(), reopened.list());
    assertEquals(first.disabledOwners(), reopened.disabledOwners());
    String text = Files.readString(first.file());
    assertTrue(text.contains("\"keyId\": \"key_1\""), text);
  }

  @Test
  void seesChangesWrittenByAnotherProcessAtTheNextPoll() throws Exception {
    JsonFileKeyStore server = (JsonFileKeyStore) store;
    JsonFileKeyStore cli = JsonFileKeyStore.open(server.file());
    long before = server.revision();
    cli.insert(record("key_1", "sk_test_one"));
    bumpModificationTime(server.file());
    assertNotEquals(before, server.revision());
    assertTrue(server.findById("key_1").isPresent());
  }

  @Test
  void refusesAMalformedFileWithAClearErrorInsteadOfStartingEmpty() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"version\": 1, \"keys\": [{\"keyId\": \"key_1\", }]}");
    KeyStoreException e = assertThrows(KeyStoreException.class, () -> JsonFileKeyStore.open(file));
    assertTrue(
        e.getMessage().contains("broken.json is malformed: invalid JSON at offset"),
        e.getMessage());
  }

  @Test
  void failsClosedWhenTheFileIsBrokenWhileRunning() throws Exception {
    JsonFileKeyStore running = (JsonFileKeyStore) store;
    running.insert(record("key_1", "sk_test_one"));
    Files.writeString(running.file(), "{\"version\": 1, \"keys\": [{\"keyId\": \"key_1\"}]}");
    bumpModificationTime(running.file());
    KeyStoreException e = assertThrows(KeyStoreException.class, running::revision);
    assertTrue(e.getMessage().contains("a key lacks hash"), e.getMessage());
  }

  @Test
  void refusesDuplicateIdsAndUnknownVersions() throws Exception {
    KeyRecord record = record("key_1", "sk_test_one");
    String entry =
        "{\"keyId\": \"key_1\", \"hash\": \""
            + record.hashHex()
            + "\", \"owner\": \"acme\","
            + " \"environment\": \"sandbox\", \"scopes\": [], \"last4\": \"_one\", \"createdAt\": \"2026-11-28T12:00:00Z\"}";
    Path duplicate =
        Files.writeString(
            dir.resolve("dup.json"), "{\"version\": 1, \"keys\": [" + entry + ", " + entry + "]}");
    assertTrue(
        assertThrows(KeyStoreException.class, () -> JsonFileKeyStore.open(duplicate))
            .getMessage()
            .contains("duplicate key id key_1"));
    Path future = Files.writeString(dir.resolve("v2.json"), "{\"version\": 2, \"keys\": []}");
    assertTrue(
        assertThrows(KeyStoreException.class, () -> JsonFileKeyStore.open(future))
            .getMessage()
            .contains("unsupported version 2"));
  }

  @Test
  void leavesTheFileUntouchedWhenAChangeIsRefused() throws Exception {
    JsonFileKeyStore json = (JsonFileKeyStore) store;
    json.insert(record("key_1", "sk_test_one"));
    String before = Files.readString(json.file());
    assertThrows(KeyStoreException.class, () -> json.insert(record("key_1", "sk_test_two")));
    assertEquals(before, Files.readString(json.file()));
    assertFalse(
        Files.list(dir).anyMatch(p -> p.toString().endsWith(".tmp")),
        "no temporary file left behind");
  }

  @Test
  void aChangeWrittenByAnotherProcessReachesListenersWithoutAnyoneAsking() throws Exception {
    JsonFileKeyStore server = (JsonFileKeyStore) store;
    server.insert(record("key_1", "sk_test_one"));
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    server.addChangeListener(listener);
    try {
      writeAsAnotherProcess(
          server.file(),
          other -> other.update(record("key_1", "sk_test_one").revoked(Instant.EPOCH)));
      awaitTold(told, 1);
      assertEquals(Instant.EPOCH, server.findById("key_1").orElseThrow().revokedAt());
    } finally {
      server.removeChangeListener(listener);
    }
  }

  @Test
  void aLastUseWrittenByAnotherProcessTellsNoListenerButTheNextChangeDoes() throws Exception {
    JsonFileKeyStore server = (JsonFileKeyStore) store;
    server.insert(record("key_1", "sk_test_one"));
    long revision = server.revision();
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    server.addChangeListener(listener);
    try {
      // A last use goes to the journal beside the file, which every store object reads: one of
      // its own is another process as far as the file is concerned.
      JsonFileKeyStore.open(server.file()).recordLastUsed(Map.of("key_1", Instant.EPOCH));
      Thread.sleep(300); // the watch has long seen it by now
      assertEquals(0, told.get(), "no listener told of a last use");
      assertEquals(Instant.EPOCH, server.findById("key_1").orElseThrow().lastUsedAt());
      assertEquals(revision, server.revision());

      writeAsAnotherProcess(server.file(), other -> other.setOwnerDisabled("acme", true));
      awaitTold(told, 1);
      assertNotEquals(revision, server.revision());
    } finally {
      server.removeChangeListener(listener);
    }
  }

  @Test
  void writesItsRevisionFirstAndMovesItWithEveryChangeButLastUse() throws Exception {
    JsonFileKeyStore json = (JsonFileKeyStore) store;
    json.insert(record("key_1", "sk_test_one"));
    assertTrue(
        Files.readString(json.file()).startsWith("{\n  \"version\": 1,\n  \"revision\": 1,"),
        Files.readString(json.file()));
    json.recordLastUsed(Map.of("key_1", Instant.EPOCH));
    assertTrue(Files.readString(json.file()).contains("\"revision\": 1,"));
    json.setOwnerDisabled("acme", true);
    assertTrue(Files.readString(json.file()).contains("\"revision\": 2,"));
  }

  @Test
  void aFileBrokenByAnotherProcessTellsListenersAtOnceSoThatRequestsFailClosed() throws Exception {
    JsonFileKeyStore server = (JsonFileKeyStore) store;
    server.insert(record("key_1", "sk_test_one"));
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    server.addChangeListener(listener);
    try {
      Path broken =
          Files.writeString(
              dir.resolve("broken.tmp"), "{\"version\": 1, \"keys\": [{\"keyId\": \"key_1\"}]}");
      Files.move(
          broken,
          server.file(),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      awaitTold(told, 1);
      assertThrows(KeyStoreException.class, server::revision);
    } finally {
      server.removeChangeListener(listener);
    }
  }

  @Test
  void stopsWatchingWhenTheLastListenerGoes() throws Exception {
    Set<Thread> before = watchThreads();
    Runnable first = () -> {};
    Runnable second = () -> {};
    store.addChangeListener(first);
    store.addChangeListener(second);
    Set<Thread> started = watchThreads();
    started.removeAll(before);
    assertEquals(1, started.size(), "one watch for the store, however many listen");
    store.removeChangeListener(first);
    assertTrue(started.iterator().next().isAlive(), "still watched for the listener left");
    store.removeChangeListener(second);
    Thread watch = started.iterator().next();
    watch.join(2_000);
    assertFalse(watch.isAlive(), "the watch thread ended with the last listener");
  }

  private static Set<Thread> watchThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("nimbus-auth-key-watch")) {
        threads.add(thread);
      }
    }
    return threads;
  }

  @FunctionalInterface
  private interface Change {
    void apply(JsonFileKeyStore store) throws KeyStoreException;
  }

  /**
   * Changes a copy of the file through a store this JVM does not relate to it, then moves it in
   * place.
   */
  private void writeAsAnotherProcess(Path file, Change change) throws Exception {
    Path elsewhere = Files.createTempDirectory(dir, "other").resolve("keys.json");
    Files.copy(file, elsewhere);
    change.apply(JsonFileKeyStore.open(elsewhere));
    Files.move(
        elsewhere, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitTold(AtomicInteger told, int times) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (told.get() < times && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertTrue(told.get() >= times, "listeners told within 2 s, with nothing polling");
  }

  private static void bumpModificationTime(Path file) throws Exception {
    Files.setLastModifiedTime(
        file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(1)));
  }
}
