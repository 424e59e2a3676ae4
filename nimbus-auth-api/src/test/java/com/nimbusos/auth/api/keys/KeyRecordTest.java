package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A stored key's record: compared by value, its hash compared in constant time and never printed.
 */
class KeyRecordTest {

  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  private static KeyRecord record(String key) {
    return new KeyRecord(
        "key_1",
        KeyHasher.sha256().hash(key),
        "acme",
        Environment.SANDBOX,
        Set.of("orders:read"),
        key.substring(key.length() - 4),
        T0,
        null,
        null,
        null);
  }

  @Test
  void matchesOnlyItsOwnHash() {
    KeyRecord record = record("sk_test_one");
    assertTrue(record.hashEquals(KeyHasher.sha256().hash("sk_test_one")));
    assertFalse(record.hashEquals(KeyHasher.sha256().hash("sk_test_two")));
    assertFalse(record.hashEquals(new byte[32]));
  }

  @Test
  void equalsByValueHashIncluded() {
    assertEquals(record("sk_test_one"), record("sk_test_one"));
    assertEquals(record("sk_test_one").hashCode(), record("sk_test_one").hashCode());
    assertNotEquals(record("sk_test_one"), record("sk_test_two"), "same id and facts, another key");
    assertNotEquals(record("sk_test_one"), record("sk_test_one").revoked(T0));
  }

  @Test
  void describesEverythingButTheHash() {
    KeyRecord record = record("sk_test_one");
    assertEquals(
        "KeyRecord[keyId=key_1, owner=acme, environment=sandbox, scopes=[orders:read], last4=_one, createdAt="
            + T0
            + ", expiresAt=null, revokedAt=null, lastUsedAt=null]",
        record.toString());
    assertFalse(record.toString().contains(record.hashHex()));
  }
}
