package com.nimbusos.auth.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyAdminTest {

  private static final Pattern KEY = Pattern.compile("sk_(test|live)_[0-9A-Za-z]{38}");
  private static final Pattern KEY_ID = Pattern.compile("Key id: +(key_[0-9a-f]{16})");
  private static final String PEPPER = "a-pepper-of-at-least-32-bytes-000000";

  @TempDir Path dir;

  private String out;
  private String err;

  @Test
  void createsAKeyThatTheServerAcceptsAndPrintsItOnlyOnce() throws Exception {
    String store = "json-file:" + dir.resolve("keys.json");
    assertEquals(
        0,
        run(
            "create",
            "--store",
            store,
            "--owner",
            "acme",
            "--environment",
            "sandbox",
            "--scopes",
            "orders:read orders:write"));
    String key = find(KEY, out);
    assertTrue(out.contains("shown once"), out);

    assertEquals(0, run("list", "--store", store));
    assertFalse(out.contains(key), "list never shows a key");
    assertTrue(
        out.contains("acme")
            && out.contains(key.substring(key.length() - 4))
            && out.contains("orders:read orders:write"),
        out);

    try (StoreKeyValidator validator =
        StoreKeyValidator.over(JsonFileKeyStore.open(dir.resolve("keys.json"))).build()) {
      assertInstanceOf(ValidationResult.Valid.class, validator.validate(PresentedKey.of(key)));
    }
  }

  @Test
  void rotatesAndRevokes() throws Exception {
    String store = "json-file:" + dir.resolve("keys.json");
    run("create", "--store", store, "--owner", "acme", "--environment", "production");
    String oldId = find(KEY_ID, out);
    String oldKey = find(KEY, out);
    assertEquals(
        0,
        run(
            "rotate",
            "--store",
            store,
            "--key-id",
            oldId,
            "--grace-until",
            "2099-01-01T00:00:00Z"));
    String newKey = find(KEY, out);
    assertTrue(newKey.startsWith("sk_live_"));
    assertEquals(0, run("revoke", "--store", store, "--key-id", oldId));
    assertTrue(out.startsWith("Revoked " + oldId), out);
    try (StoreKeyValidator validator =
        StoreKeyValidator.over(JsonFileKeyStore.open(dir.resolve("keys.json"))).build()) {
      assertEquals(
          ValidationResult.invalid(InvalidReason.REVOKED),
          validator.validate(PresentedKey.of(oldKey)));
      assertInstanceOf(ValidationResult.Valid.class, validator.validate(PresentedKey.of(newKey)));
    }
  }

  @Test
  void listsTheLastUseThatValidatorsWroteToTheJournalBesideTheFile() throws Exception {
    String store = "json-file:" + dir.resolve("keys.json");
    run("create", "--store", store, "--owner", "acme", "--environment", "sandbox");
    String id = find(KEY_ID, out);
    JsonFileKeyStore validators = JsonFileKeyStore.open(dir.resolve("keys.json"));
    validators.recordLastUsed(Map.of(id, Instant.parse("2026-11-30T08:15:42.5Z")));
    assertTrue(Files.exists(validators.lastUseJournal()));

    assertEquals(0, run("list", "--store", store));
    assertTrue(out.contains(" 2026-11-30T08:15:42Z"), out);
    assertEquals(0, run("revoke", "--store", store, "--key-id", id));
    assertFalse(
        Files.exists(validators.lastUseJournal()), "the revocation folded it into the file");
    assertEquals(0, run("list", "--store", store));
    assertTrue(out.contains(" 2026-11-30T08:15:42Z"), out);
  }

  @Test
  void worksOnAJdbcStoreWithAPepperFromTheEnvironment() throws Exception {
    String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    assertEquals(
        0,
        run(
            "create",
            "--store",
            url,
            "--pepper-env",
            "NIMBUS_PEPPER",
            "--owner",
            "acme",
            "--environment",
            "sandbox"));
    String key = find(KEY, out);
    assertEquals(0, run("list", "--store", url, "--pepper-env", "NIMBUS_PEPPER"));
    assertTrue(out.contains("acme"), out);
    assertFalse(out.contains(PEPPER) || err.contains(PEPPER));
    var store =
        new com.nimbusos.auth.api.keys.JdbcKeyStore(
            new DriverManagerDataSource(url, null, null), "h2");
    try (StoreKeyValidator peppered =
            StoreKeyValidator.over(store)
                .hasher(KeyHasher.hmacSha256(PEPPER.getBytes(StandardCharsets.UTF_8)))
                .build();
        StoreKeyValidator plain = StoreKeyValidator.over(store).build()) {
      assertInstanceOf(ValidationResult.Valid.class, peppered.validate(PresentedKey.of(key)));
      assertEquals(
          ValidationResult.invalid(InvalidReason.UNKNOWN), plain.validate(PresentedKey.of(key)));
    }
  }

  @Test
  void explainsUsageErrorsWithExitCode2() {
    String store = "json-file:" + dir.resolve("keys.json");
    assertEquals(2, run());
    assertEquals(2, run("create", "--store", store, "--owner", "acme"));
    assertTrue(err.contains("--environment is required"), err);
    assertEquals(2, run("create", "--store", store, "--owner", "acme", "--environment", "staging"));
    assertTrue(err.contains("unknown environment"), err);
    assertEquals(2, run("revoke", "--store", store, "--key-id", "key_missing"));
    assertTrue(err.contains("no key with id key_missing"), err);
    assertEquals(2, run("list", "--store", "redis:localhost"));
    assertEquals(2, run("list", "--store", store, "--colour", "blue"));
    assertEquals(2, run("frobnicate", "--store", store));
    assertEquals(
        2,
        run(
            "create",
            "--store",
            store,
            "--pepper-env",
            "UNSET_VARIABLE",
            "--owner",
            "a",
            "--environment",
            "sandbox"));
    assertTrue(err.contains("UNSET_VARIABLE is not set"), err);
    assertEquals(0, run("--help"));
  }

  @Test
  void reportsAStoreFailureWithExitCode1() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("broken.json"), "{]");
    assertEquals(1, run("list", "--store", "json-file:" + dir.resolve("broken.json")));
    assertTrue(err.contains("malformed"), err);
  }

  @Test
  void hidesPasswordsInJdbcUrls() {
    assertEquals(
        "jdbc:postgresql://db/nimbus?user=a&password=***",
        KeyAdmin.redactUrl("jdbc:postgresql://db/nimbus?user=a&password=hunter2"));
  }

  private int run(String... args) {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code =
        new KeyAdmin(
                new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                Map.of("NIMBUS_PEPPER", PEPPER)::get)
            .run(args);
    out = outBytes.toString(StandardCharsets.UTF_8);
    err = errBytes.toString(StandardCharsets.UTF_8);
    return code;
  }

  private static String find(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), "no " + pattern + " in:\n" + text);
    return matcher.groupCount() > 0 && pattern == KEY_ID ? matcher.group(1) : matcher.group();
  }
}
