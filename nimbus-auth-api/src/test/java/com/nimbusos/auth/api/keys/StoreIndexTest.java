package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreIndexTest {

  private final InMemoryKeyStore memory = new InMemoryKeyStore();
  private final CountingKeyStore store = new CountingKeyStore(memory);

  @Test
  void offItRulesOutNothingAndNeverReadsTheStore() throws Exception {
    memory.insert(TestRecords.record("k_1", 1));
    StoreIndex index = new StoreIndex(store, false);
    store.down = true; // a reload that read it would throw
    index.reload();
    assertFalse(index.enabled());
    assertFalse(index.rulesOut(TestRecords.hash(2)), "an unknown key still goes to the store");
  }

  @Test
  void onItRulesOutExactlyTheHashesTheStoreDidNotHoldAtTheLastReload() throws Exception {
    memory.insert(TestRecords.record("k_1", 1));
    memory.insert(TestRecords.record("k_2", 2).revoked(Instant.parse("2026-02-01T00:00:00Z")));
    StoreIndex index = new StoreIndex(store, true);
    assertFalse(index.rulesOut(TestRecords.hash(3)), "nothing is ruled out before the first read");
    index.reload();
    assertTrue(index.enabled());
    assertFalse(index.rulesOut(TestRecords.hash(1)));
    assertFalse(index.rulesOut(TestRecords.hash(2)), "revoked keys stay: they earn REVOKED");
    assertTrue(index.rulesOut(TestRecords.hash(3)));

    memory.insert(TestRecords.record("k_3", 3));
    assertTrue(index.rulesOut(TestRecords.hash(3)), "until the next reload");
    index.reload();
    assertFalse(index.rulesOut(TestRecords.hash(3)));
  }

  @Test
  void aReloadThatFailsKeepsTheIndexItHad() throws Exception {
    memory.insert(TestRecords.record("k_1", 1));
    StoreIndex index = new StoreIndex(store, true);
    index.reload();
    store.down = true;
    assertThrows(KeyStoreException.class, index::reload);
    assertFalse(index.rulesOut(TestRecords.hash(1)));
    assertTrue(index.rulesOut(TestRecords.hash(2)));
  }

  @Test
  void saysWhetherItIsOn() {
    assertEquals("StoreIndex[all keys]", new StoreIndex(store, true).toString());
    assertEquals("StoreIndex[off]", new StoreIndex(store, false).toString());
  }
}
