package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KnownKeyTest {

  @Test
  void carriesOneVerdictMadeOnceFromTheRecordsPrincipal() {
    KeyRecord record = TestRecords.record("k_1", 1);
    KnownKey known = KnownKey.of(record);
    assertArrayEquals(record.hash(), known.hash());
    assertTrue(known.hashEquals(record.hash()));
    assertEquals(BoundedKeyCache.bitsOf(record.hash()), known.hashBits());
    assertEquals(record.principal(), known.valid.principal());
    assertEquals("k_1", known.keyId());
    assertFalse(known.canLapse(), "neither revoked nor expiring: no clock reading needed");
    assertEquals(-1, known.notedInBatch, "not noted in any batch yet, not even the first");
  }

  /** Every byte of the hash counts, and a hash of another length is never this one. */
  @Test
  void recognisesItsHashAndNoOther() {
    KeyRecord record = TestRecords.record("k_1", 1);
    KnownKey known = KnownKey.of(record);
    byte[] hash = record.hash();
    for (int i = 0; i < hash.length; i++) {
      byte[] other = hash.clone();
      other[i] ^= 1;
      assertFalse(known.hashEquals(other), "byte " + i + " differs");
    }
    assertFalse(known.hashEquals(Arrays.copyOf(hash, 31)));
    assertFalse(known.hashEquals(Arrays.copyOf(hash, 33)));
    assertFalse(known.hashEquals(new byte[0]));
  }

  @Test
  void keepsWhatRevocationAndExpiryAreJudgedBy() {
    Instant revokedAt = Instant.parse("2026-06-01T00:00:00Z");
    KnownKey revoked = KnownKey.of(TestRecords.record("k_1", 1).revoked(revokedAt));
    assertTrue(revoked.canLapse());
    assertFalse(revoked.isRevokedAt(revokedAt.minusNanos(1)));
    assertTrue(revoked.isRevokedAt(revokedAt));
    assertFalse(revoked.isExpiredAt(revokedAt.plusSeconds(3600)));

    Instant expiresAt = Instant.parse("2026-07-01T00:00:00Z");
    KnownKey expiring = KnownKey.of(TestRecords.record("k_2", 2).expiring(expiresAt));
    assertTrue(expiring.canLapse());
    assertFalse(expiring.isExpiredAt(expiresAt.minusNanos(1)));
    assertTrue(expiring.isExpiredAt(expiresAt));
    assertFalse(expiring.isRevokedAt(expiresAt.plusSeconds(3600)));
  }

  @Test
  void namesTheKeyIdAndNeverShowsTheHash() {
    KeyRecord record = TestRecords.record("k_1", 1);
    String shown = KnownKey.of(record).toString();
    assertEquals("KnownKey[k_1]", shown);
    assertFalse(shown.contains(HexFormat.of().formatHex(record.hash())));
  }
}
