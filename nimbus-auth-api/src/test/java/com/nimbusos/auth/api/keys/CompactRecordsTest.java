package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
