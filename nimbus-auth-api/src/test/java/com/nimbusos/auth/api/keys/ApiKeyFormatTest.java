package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

  @Test
  void generatesKeysWithTheEnvironmentsPrefixAndAValidChecksum() {
    String test = ApiKeyFormat.generate(Environment.SANDBOX);
    String live = ApiKeyFormat.generate(Environment.PRODUCTION);
    assertTrue(test.matches("sk_test_[0-9A-Za-z]{38}"), test);
    assertTrue(live.matches("sk_live_[0-9A-Za-z]{38}"), live);
    assertEquals(Optional.of(Environment.SANDBOX), ApiKeyFormat.environmentIfChecksumValid(test));
    assertEquals(
        Optional.of(Environment.PRODUCTION), ApiKeyFormat.environmentIfChecksumValid(live));
  }

  @Test
  void neverGeneratesTheSameKeyTwice() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      keys.add(ApiKeyFormat.generate(Environment.SANDBOX));
    }
    assertEquals(10_000, keys.size());
  }

  @Test
  void refusesAKeyWithOneCharacterChanged() {
    String key = ApiKeyFormat.generate(Environment.SANDBOX);
    for (int i = 8; i < key.length(); i++) {
      char replacement = key.charAt(i) == 'a' ? 'b' : 'a';
      String typo = key.substring(0, i) + replacement + key.substring(i + 1);
      assertEquals(Optional.empty(), ApiKeyFormat.environmentIfChecksumValid(typo), "typo at " + i);
    }
  }

  @Test
  void refusesWrongLengthsPrefixesAndAlphabets() {
    String key = ApiKeyFormat.generate(Environment.SANDBOX);
    assertEquals(Optional.empty(), ApiKeyFormat.environmentIfChecksumValid(key + "0"));
    assertEquals(Optional.empty(), ApiKeyFormat.environmentIfChecksumValid(key.substring(1)));
    assertEquals(
        Optional.empty(), ApiKeyFormat.environmentIfChecksumValid("pk_test_" + key.substring(8)));
    assertEquals(
        Optional.empty(),
        ApiKeyFormat.environmentIfChecksumValid(key.substring(0, 20) + "-" + key.substring(21)));
    assertEquals(Optional.empty(), ApiKeyFormat.environmentIfChecksumValid(null));
  }

  @Test
  void aSandboxKeyRelabelledAsLiveFailsItsChecksum() {
    String key = ApiKeyFormat.generate(Environment.SANDBOX);
    assertEquals(
        Optional.empty(), ApiKeyFormat.environmentIfChecksumValid("sk_live_" + key.substring(8)));
  }

  @Test
  void keepsTheLastFourCharacters() {
    String key = ApiKeyFormat.generate(Environment.SANDBOX);
    assertEquals(key.substring(42), ApiKeyFormat.last4(key));
    assertNotEquals(key, ApiKeyFormat.last4(key));
  }
}
