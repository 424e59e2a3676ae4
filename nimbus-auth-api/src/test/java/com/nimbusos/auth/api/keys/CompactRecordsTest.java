package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-memory store's records across compactions, against a plain map kept alongside. */
class CompactRecordsTest {

  private static KeyRecord record(int i, SplittableRandom random) {
    byte[] hash = new byte[32];
    for (int b = 0; b < hash.length; b++) {
      hash[b] = (byte) random.nextInt(256);
    }
    return new KeyRecord(
        i % 3 == 0 ? "imported-" + i : String.format("key_%016x", random.nextLong()),
        hash,
        "owner-" + (i % 5),
        Environment.SANDBOX,
        i % 2 == 0 ? Set.of("a") : Set.of("a", "b"),
        "wxyz",
        Instant.parse("2026-01-01T00:00:00.000000001Z").plusSeconds(i),
        null,
        null,
        null);
  }

  @Test
  void behavesAsAnInsertionOrderedMapThroughInsertsUpdatesLastUsesAndCompactions()
      throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    InMemoryKeyStore store = new InMemoryKeyStore();
    Map<String, KeyRecord> model = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) { // past two compactions
      KeyRecord record = record(i, random);
      store.insert(record);
      model.put(record.keyId(), record);
      ids.add(record.keyId());
      if (i % 7 == 0 && i > 0) { // revoke an earlier key: an indexed record replaced
        String id = ids.get(random.nextInt(ids.size()));
        KeyRecord revoked =
            model.get(id).revoked(Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i));
        store.update(revoked);
        model.put(id, revoked);
      }
      if (i % 1000 == 999) {
        Map<String, Instant> uses = new LinkedHashMap<>();
        for (int u = 0; u < 50; u++) {
          String id = ids.get(random.nextInt(ids.size()));
          Instant when = Instant.parse("2026-04-01T00:00:00.123456789Z").plusSeconds(i + u);
          uses.put(id, when);
        }
        store.recordLastUsed(uses);
        uses.forEach(
            (id, when) -> {
              KeyRecord held = model.get(id);
              if (held.lastUsedAt() == null || held.lastUsedAt().isBefore(when)) {
                model.put(id, held.usedAt(when));
              }
            });
      }
    }
    assertEquals(new ArrayList<>(model.values()), store.list(), "same records, in insertion order");
    for (KeyRecord record : model.values()) {
      assertEquals(record, store.findById(record.keyId()).orElseThrow());
      assertEquals(record, store.findByHash(record.hash()).orElseThrow());
    }
    assertTrue(store.toString().contains("12000 keys"), store.toString());
  }

  /**
   * Every tier and every move between them, with an object limit of 8: records as objects, the
   * middle tier rebuilt every 9 puts, the whole rebuilt when the middle tier passes a sixteenth of
   * the large one. Inserts, updates that change a key's hash, and last uses, checked against a
   * plain map after every operation; a hash replaced must find nothing, wherever its record was.
   */
  @Test
  void everyTierAgreesWithAPlainMapAfterEveryOperation() {
    SplittableRandom random = new SplittableRandom(7);
    CompactRecords records = new CompactRecords(8);
    Map<String, KeyRecord> model = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    List<byte[]> forgotten = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      int op = random.nextInt(10);
      if (op < 6 || ids.isEmpty()) {
        KeyRecord record = record(i, random);
        records.put(record);
        model.put(record.keyId(), record);
        ids.add(record.keyId());
      } else if (op < 8) { // replaced, with a new hash: the old one must find nothing
        KeyRecord old = model.get(ids.get(random.nextInt(ids.size())));
        KeyRecord fresh = record(i, random);
        KeyRecord replaced =
            new KeyRecord(
                old.keyId(),
                fresh.hashBytes(),
                old.owner(),
                old.environment(),
                old.scopes(),
                old.last4(),
                old.createdAt(),
                null,
                Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i),
                old.lastUsedAt());
        records.put(replaced);
        model.put(old.keyId(), replaced);
        forgotten.add(old.hashBytes());
      } else {
        String id = ids.get(random.nextInt(ids.size()));
        Instant when = Instant.parse("2026-04-01T00:00:00.000000007Z").plusSeconds(i);
        assertTrue(records.usedAt(id, when));
        model.put(id, model.get(id).usedAt(when));
      }
      if (i % 50 == 0 || i > 2_900) {
        assertEquals(new ArrayList<>(model.values()), records.values(), "after operation " + i);
      }
      assertEquals(model.size(), records.size());
      for (int probe = 0; probe < 5; probe++) {
        KeyRecord expected = model.get(ids.get(random.nextInt(ids.size())));
        assertEquals(expected, records.byId(expected.keyId()), "by id, operation " + i);
        assertEquals(expected, records.byHash(expected.hashBytes()), "by hash, operation " + i);
        KnownKey known = records.knownKeyByHash(expected.hashBytes(), Long.MAX_VALUE);
        assertEquals(expected.principal(), known.valid.principal(), "cached key, operation " + i);
        assertTrue(known.hashEquals(expected.hashBytes()));
        assertEquals(expected.revokedAt() != null, known.isRevokedAt(Instant.MAX));
      }
    }
    for (byte[] hash : forgotten) {
      assertNull(records.byHash(hash), "a replaced hash finds nothing");
      assertNull(records.knownKeyByHash(hash, Long.MAX_VALUE));
    }
    assertNull(records.byId("key_absent"));
    assertFalse(records.usedAt("key_absent", Instant.EPOCH));
  }
}
