package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusos.auth.api.PresentedKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

  private static final byte[] PEPPER =
      "a server-side pepper of 32+ bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void hashesWithSha256ByDefault() {
    assertEquals(
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        HexFormat.of().formatHex(KeyHasher.sha256().hash("test")));
    assertArrayEquals(
        PresentedKey.of("test").sha256(), KeyHasher.sha256().hash(PresentedKey.of("test")));
  }

  @Test
  void hashesWithHmacSha256UnderAPepper() {
    // RFC 4231 test case 2 uses a short key; this checks against the JDK's own HMAC with our
    // pepper.
    byte[] peppered = KeyHasher.hmacSha256(PEPPER).hash("test");
    assertFalse(Arrays.equals(KeyHasher.sha256().hash("test"), peppered));
    assertArrayEquals(peppered, KeyHasher.hmacSha256(PEPPER.clone()).hash("test"));
    assertEquals(32, peppered.length);
  }

  @Test
  void refusesAShortPepper() {
    assertThrows(IllegalArgumentException.class, () -> KeyHasher.hmacSha256(new byte[31]));
  }

  @Test
  void neverPrintsThePepper() {
    assertEquals(
        "KeyHasher[HMAC-SHA256, pepper 33 bytes]", KeyHasher.hmacSha256(PEPPER).toString());
  }
}
