package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KnownKeyTest {

  @Test
  void carriesOneVerdictMadeOnceFromTheRecordsPrincipal() {
    KeyRecord record = TestRecords.record("k_1", 1);
    KnownKey known = new KnownKey(record);
    assertSame(record, known.record);
    assertEquals(record.principal(), known.valid.principal());
    assertEquals(-1, known.notedInBatch, "not noted in any batch yet, not even the first");
  }

  @Test
  void namesTheKeyIdAndNeverShowsTheHash() {
    KeyRecord record = TestRecords.record("k_1", 1);
    String shown = new KnownKey(record).toString();
    assertEquals("KnownKey[k_1]", shown);
    assertFalse(shown.contains(HexFormat.of().formatHex(record.hash())));
  }
}
