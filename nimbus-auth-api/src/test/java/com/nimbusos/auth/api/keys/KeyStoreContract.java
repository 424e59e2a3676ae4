package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusos.auth.api.Environment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link KeyStore} must do; one subclass per store. */
abstract class KeyStoreContract {

  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123456Z");

  protected KeyStore store;

  /** A fresh, empty store. */
  protected abstract KeyStore newStore() throws Exception;

  /**
   * Another store object on the storage of {@link #store}, as another node or process holds one.
   *
   * @return it, or {@code null} where storage cannot be shared
   */
  protected KeyStore anotherViewOfTheSameStorage() throws Exception {
    return null;
  }

  @BeforeEach
  void create() throws Exception {
    store = newStore();
  }

  static KeyRecord record(String id, String key) {
    return new KeyRecord(
        id,
        KeyHasher.sha256().hash(key),
        "acme",
        Environment.SANDBOX,
        Set.of("orders:read", "orders:write"),
        key.substring(key.length() - 4),
        T0,
        T0.plus(30, ChronoUnit.DAYS),
        null,
        null);
  }

  @Test
  void findsARecordByHashAndById() throws Exception {
    KeyRecord record = record("key_1", "sk_test_one");
    store.insert(record);
    assertEquals(Optional.of(record), store.findByHash(KeyHasher.sha256().hash("sk_test_one")));
    assertEquals(Optional.of(record), store.findById("key_1"));
    assertEquals(Optional.empty(), store.findByHash(KeyHasher.sha256().hash("sk_test_two")));
    assertEquals(Optional.empty(), store.findById("key_2"));
  }

  @Test
  void refusesADuplicateIdOrHashWithoutWritingAnything() throws Exception {
    store.insert(record("key_1", "sk_test_one"));
    long revision = store.revision();
    KeyStoreException sameId =
        assertThrows(KeyStoreException.class, () -> store.insert(record("key_1", "sk_test_two")));
    assertTrue(sameId.getMessage().contains("key_1"), sameId.getMessage());
    assertThrows(KeyStoreException.class, () -> store.insert(record("key_2", "sk_test_one")));
    assertEquals(1, store.list().size());
    assertEquals(revision, store.revision());
  }

  @Test
  void updatesRevocationAndExpiry() throws Exception {
    KeyRecord record = record("key_1", "sk_test_one");
    store.insert(record);
    KeyRecord revoked = record.revoked(T0.plusSeconds(5)).expiring(T0.plusSeconds(60));
    store.update(revoked);
    assertEquals(Optional.of(revoked), store.findById("key_1"));
    assertEquals(Optional.of(revoked), store.findByHash(record.hash()));
    assertThrows(KeyStoreException.class, () -> store.update(record("key_missing", "sk_test_x")));
  }

  @Test
  void rotatesAtomically() throws Exception {
    KeyRecord old = record("key_1", "sk_test_one");
    store.insert(old);
    KeyRecord inGrace = old.expiring(T0.plusSeconds(3600));
    store.insertAndUpdate(record("key_2", "sk_test_two"), inGrace);
    assertEquals(Optional.of(inGrace), store.findById("key_1"));
    assertTrue(store.findById("key_2").isPresent());

    KeyRecord clash = record("key_3", "sk_test_two");
    assertThrows(KeyStoreException.class, () -> store.insertAndUpdate(clash, old.revoked(T0)));
    assertEquals(
        Optional.of(inGrace),
        store.findById("key_1"),
        "the failed rotation left the old key alone");
    assertEquals(Optional.empty(), store.findById("key_3"));
  }

  @Test
  void listsInCreationOrder() throws Exception {
    store.insert(record("key_b", "sk_test_one"));
    KeyRecord later =
        new KeyRecord(
            "key_a",
            KeyHasher.sha256().hash("sk_test_two"),
            "globex",
            Environment.PRODUCTION,
            Set.of(),
            "_two",
            T0.plusSeconds(1),
            null,
            null,
            null);
    store.insert(later);
    List<KeyRecord> all = store.list();
    assertEquals(List.of("key_b", "key_a"), all.stream().map(KeyRecord::keyId).toList());
    assertEquals(later, all.get(1));
  }

  @Test
  void disablesAndEnablesOwners() throws Exception {
    assertEquals(Set.of(), store.disabledOwners());
    store.setOwnerDisabled("acme", true);
    store.setOwnerDisabled("globex", true);
    store.setOwnerDisabled("globex", false);
    assertEquals(Set.of("acme"), store.disabledOwners());
  }

  @Test
  void everyChangeAdvancesTheRevisionButLastUseDoesNot() throws Exception {
    long r0 = store.revision();
    store.insert(record("key_1", "sk_test_one"));
    long r1 = store.revision();
    store.update(record("key_1", "sk_test_one").revoked(T0));
    long r2 = store.revision();
    store.setOwnerDisabled("acme", true);
    long r3 = store.revision();
    store.recordLastUsed(Map.of("key_1", T0.plusSeconds(1)));
    assertNotEquals(r0, r1);
    assertNotEquals(r1, r2);
    assertNotEquals(r2, r3);
    assertEquals(r3, store.revision());
  }

  @Test
  void recordsLastUseOnlyForward() throws Exception {
    store.insert(record("key_1", "sk_test_one"));
    store.recordLastUsed(Map.of("key_1", T0.plusSeconds(10), "key_unknown", T0));
    store.recordLastUsed(Map.of("key_1", T0.plusSeconds(5)));
    assertEquals(T0.plusSeconds(10), store.findById("key_1").orElseThrow().lastUsedAt());
  }

  @Test
  void tellsLocalListenersOfEveryChange() throws Exception {
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    store.addChangeListener(listener);
    try {
      store.insert(record("key_1", "sk_test_one"));
      store.update(record("key_1", "sk_test_one").revoked(T0));
      store.setOwnerDisabled("acme", true);
      store.recordLastUsed(Map.of("key_1", T0.plusSeconds(1)));
      assertEquals(3, told.get());
    } finally {
      store.removeChangeListener(listener);
    }
  }

  @Test
  void lastUseWrittenThroughAnotherViewAdvancesNoRevisionThereAndTellsNoListener()
      throws Exception {
    KeyStore other = anotherViewOfTheSameStorage();
    assumeTrue(other != null, "this store has no second view of its storage");
    KeyRecord record = record("key_1", "sk_test_one");
    store.insert(record);
    long revision = other.revision();
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    other.addChangeListener(listener);
    try {
      store.recordLastUsed(Map.of("key_1", T0.plusSeconds(1)));
      assertEquals(
          T0.plusSeconds(1),
          other.findById("key_1").orElseThrow().lastUsedAt(),
          "the other view sees the use");
      assertEquals(revision, other.revision(), "last use changes nothing a cache holds");
      assertEquals(0, told.get(), "no cache on the other view was dropped for a last use");

      store.update(record.revoked(T0));
      assertNotEquals(
          revision, other.revision(), "a revocation does advance the other view's revision");
      assertEquals(T0, other.findById("key_1").orElseThrow().revokedAt());
    } finally {
      other.removeChangeListener(listener);
    }
  }

  @Test
  void neverPrintsHashes() throws Exception {
    KeyRecord record = record("key_1", "sk_test_one");
    store.insert(record);
    assertFalse(store.toString().contains(record.hashHex()));
    assertFalse(store.list().toString().contains(record.hashHex()));
  }
}
