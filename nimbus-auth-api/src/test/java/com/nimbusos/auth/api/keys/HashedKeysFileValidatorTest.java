package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashedKeysFileValidatorTest {

  private static final String KEY = "sk_test_abcdefghijklmnopqrstuvwxyz012345";
  private static final String HASH = HexFormat.of().formatHex(PresentedKey.of(KEY).sha256());
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @TempDir Path dir;

  @Test
  void acceptsAKeyWhoseHashIsInTheFile() throws IOException {
    HashedKeysFileValidator validator =
        load(block("k_1", HASH) + "key.k_1.scopes=orders:read, orders:write\n");
    ValidationResult.Valid valid =
        assertInstanceOf(ValidationResult.Valid.class, validator.validate(PresentedKey.of(KEY)));
    assertEquals("k_1", valid.principal().keyId());
    assertEquals("acme", valid.principal().owner());
    assertEquals(Environment.SANDBOX, valid.principal().environment());
    assertEquals(Set.of("orders:read", "orders:write"), valid.principal().scopes());
  }

  @Test
  void refusesAnUnknownKey() throws IOException {
    assertInvalid(load(block("k_1", HASH)), KEY + "x", InvalidReason.UNKNOWN);
  }

  @Test
  void refusesEveryUnknownKeyEvenOneWhoseDigestSharesABucketWithAKnownOne() throws IOException {
    HashedKeysFileValidator validator = load(block("k_1", HASH));
    // Among 200 unknown keys some land in the known key's hash bucket: only equality of the whole
    // digest
    // may let a key in, never a shared bucket.
    for (int i = 0; i < 200; i++) {
      assertInvalid(
          validator,
          KEY.substring(0, KEY.length() - 3) + String.format("%03d", i),
          InvalidReason.UNKNOWN);
    }
  }

  @Test
  void reportsRevokedAndExpiredKeys() throws IOException {
    assertInvalid(load(block("k_1", HASH) + "key.k_1.revoked=true\n"), KEY, InvalidReason.REVOKED);
    assertInvalid(
        load(block("k_1", HASH) + "key.k_1.expires=" + NOW + "\n"), KEY, InvalidReason.EXPIRED);
    assertInstanceOf(
        ValidationResult.Valid.class,
        load(block("k_1", HASH) + "key.k_1.expires=" + NOW.plusSeconds(1) + "\n")
            .validate(PresentedKey.of(KEY)));
  }

  @Test
  void explainsWhatIsWrongWithAMalformedFileWithoutQuotingHashes() {
    assertRejected(
        "key.k_1.sha256=abc\nkey.k_1.owner=a\nkey.k_1.environment=sandbox\n",
        "sha256 must be 64 hex digits");
    assertRejected(
        "key.k_1.sha256=" + HASH + "\nkey.k_1.environment=sandbox\n", "key 'k_1' lacks owner");
    assertRejected(block("k_1", HASH).replace("sandbox", "staging"), "unknown environment");
    assertRejected(block("k_1", HASH) + "key.k_1.colour=blue\n", "unknown field 'colour'");
    assertRejected(block("k_1", HASH) + "owner=x\n", "unexpected entry 'owner'");
    assertRejected(
        block("k_1", HASH) + "key.k_1.expires=tomorrow\n", "expires must be an ISO-8601 instant");
    assertRejected(block("k_1", HASH) + "key.k_1.revoked=yes\n", "revoked must be true or false");
    assertRejected(block("k_1", HASH) + block("k_2", HASH), "same sha256 as another key");
  }

  @Test
  void namesTheFileWhenItCannotBeRead() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> HashedKeysFileValidator.load(dir.resolve("missing.properties")));
    assertEquals("nimbus.auth.keys-file", e.property());
    assertTrue(e.getMessage().contains("missing.properties"), e.getMessage());
  }

  @Test
  void describesItselfWithoutHashes() throws IOException {
    HashedKeysFileValidator validator = load(block("k_1", HASH));
    assertEquals("HashedKeysFileValidator[1 keys]", validator.toString());
    assertEquals(1, validator.size());
  }

  private void assertRejected(String content, String expected) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(content));
    assertEquals("nimbus.auth.keys-file", e.property());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains(HASH), "never quotes a hash: " + e.getMessage());
  }

  private static void assertInvalid(
      HashedKeysFileValidator validator, String key, InvalidReason reason) {
    assertEquals(ValidationResult.invalid(reason), validator.validate(PresentedKey.of(key)));
  }

  private static String block(String id, String hash) {
    return "key."
        + id
        + ".sha256="
        + hash
        + "\nkey."
        + id
        + ".owner=acme\nkey."
        + id
        + ".environment=sandbox\n";
  }

  private HashedKeysFileValidator load(String content) throws IOException {
    Path file = Files.createTempFile(dir, "keys", ".properties");
    Files.writeString(file, content);
    return HashedKeysFileValidator.load(file, Clock.fixed(NOW, ZoneOffset.UTC));
  }
}
