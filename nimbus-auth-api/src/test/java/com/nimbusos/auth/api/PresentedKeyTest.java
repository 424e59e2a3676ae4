package com.nimbusos.auth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PresentedKeyTest {

  private static final String LIVE = "sk_live_4eC39HqLyjWDarjtT1zdp7dcwxyz";

  @Test
  void printsOnlyTheEnvironmentPrefixAndLastFourCharacters() {
    assertEquals("sk_live_…wxyz", PresentedKey.of(LIVE).toString());
    assertEquals("sk_test_…abcd", PresentedKey.of("sk_test_0123456789abcd").toString());
  }

  @Test
  void printsNothingOfAKeyWithoutAKnownPrefix() {
    assertEquals("…9876", PresentedKey.of("custom-key-material-9876").toString());
  }

  @Test
  void printsNothingAtAllOfAShortValue() {
    assertEquals("…", PresentedKey.of("short1234").toString());
  }

  @Test
  void neverPrintsTheSecretPart() {
    String shown = PresentedKey.of(LIVE).toString();
    assertFalse(shown.contains("4eC39HqLyjWDarjtT1zdp7dc"));
  }

  @Test
  void hashesTheUtf8BytesWithSha256() {
    assertEquals(
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        HexFormat.of().formatHex(PresentedKey.of("test").sha256()));
  }

  @Test
  void comparesByValue() {
    assertEquals(PresentedKey.of(LIVE), PresentedKey.of(LIVE));
    assertNotEquals(PresentedKey.of(LIVE), PresentedKey.of(LIVE + "0"));
  }

  @Test
  void refusesAnEmptyKey() {
    assertThrows(IllegalArgumentException.class, () -> PresentedKey.of(""));
    assertThrows(IllegalArgumentException.class, () -> PresentedKey.of(null));
  }
}
