package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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
    KeyRecord record = record("key_1", "sk_test_one").revoked(Instant.parse("2026-11-28T13:00:00Z"));
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
    assertTrue(e.getMessage().contains("broken.json is malformed: invalid JSON at offset"), e.getMessage());
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
    String entry = "{\"keyId\": \"key_1\", \"hash\": \"" + record.hashHex() + "\", \"owner\": \"acme\","
        + " \"environment\": \"sandbox\", \"scopes\": [], \"last4\": \"_one\", \"createdAt\": \"2026-11-28T12:00:00Z\"}";
    Path duplicate = Files.writeString(dir.resolve("dup.json"), "{\"version\": 1, \"keys\": [" + entry + ", " + entry + "]}");
    assertTrue(assertThrows(KeyStoreException.class, () -> JsonFileKeyStore.open(duplicate)).getMessage().contains("duplicate key id key_1"));
    Path future = Files.writeString(dir.resolve("v2.json"), "{\"version\": 2, \"keys\": []}");
    assertTrue(assertThrows(KeyStoreException.class, () -> JsonFileKeyStore.open(future)).getMessage().contains("unsupported version 2"));
  }

  @Test
  void leavesTheFileUntouchedWhenAChangeIsRefused() throws Exception {
    JsonFileKeyStore json = (JsonFileKeyStore) store;
    json.insert(record("key_1", "sk_test_one"));
    String before = Files.readString(json.file());
    assertThrows(KeyStoreException.class, () -> json.insert(record("key_1", "sk_test_two")));
    assertEquals(before, Files.readString(json.file()));
    assertFalse(Files.list(dir).anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left behind");
  }

  private static void bumpModificationTime(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(1)));
  }
}
