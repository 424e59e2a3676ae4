package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates keys against a file of SHA-256 key hashes: the file never holds a key in clear. One
 * block of properties per key, named by the key's public id:
 *
 * <pre>
 * key.k_acme_read.sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * key.k_acme_read.owner=acme-health
 * key.k_acme_read.environment=sandbox
 * key.k_acme_read.scopes=orders:read
 * key.k_acme_read.expires=2027-01-01T00:00:00Z   (optional, ISO-8601 instant)
 * key.k_acme_read.revoked=true                   (optional)
 * </pre>
 *
 * <p>Lookups hash the presented key and find it by its digest, then compare digests in constant
 * time. The file is read once, when the validator is created.
 */
public final class HashedKeysFileValidator implements KeyValidator {

  private static final Set<String> FIELDS =
      Set.of("sha256", "owner", "environment", "scopes", "expires", "revoked");

  private final Map<HashKey, Entry> entries;
  private final Clock clock;

  private HashedKeysFileValidator(Map<HashKey, Entry> entries, Clock clock) {
    this.entries = Map.copyOf(entries);
    this.clock = clock;
  }

  /**
   * Reads a keys file.
   *
   * @throws ConfigurationException naming {@code nimbus.auth.keys-file}, the key id and field at
   *     fault
   */
  public static HashedKeysFileValidator load(Path file) {
    return load(file, Clock.systemUTC());
  }

  /** Reads a keys file; {@code clock} decides expiry. */
  public static HashedKeysFileValidator load(Path file, Clock clock) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.KEYS_FILE, "cannot read keys file " + file + ": " + e.getMessage(), e);
    }
    return new HashedKeysFileValidator(parse(file, properties), clock);
  }

  /** The environments of the keys the file holds. */
  public java.util.Set<Environment> environments() {
    java.util.Set<Environment> environments = java.util.EnumSet.noneOf(Environment.class);
    entries.values().forEach(entry -> environments.add(entry.principal.environment()));
    return environments;
  }

  /** How many keys the file holds, revoked ones included. */
  public int size() {
    return entries.size();
  }

  @Override
  public ValidationResult validate(PresentedKey key) {
    byte[] digest = key.sha256();
    Entry entry = entries.get(new HashKey(digest));
    if (entry == null || !MessageDigest.isEqual(entry.sha256, digest)) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
    if (entry.revoked) {
      return ValidationResult.invalid(InvalidReason.REVOKED);
    }
    if (entry.principal.isExpiredAt(clock.instant())) {
      return ValidationResult.invalid(InvalidReason.EXPIRED);
    }
    return ValidationResult.valid(entry.principal);
  }

  @Override
  public String toString() {
    return "HashedKeysFileValidator[" + entries.size() + " keys]";
  }

  private static Map<HashKey, Entry> parse(Path file, Properties properties) {
    Map<String, Map<String, String>> byId = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      int lastDot = name.lastIndexOf('.');
      if (!name.startsWith("key.") || lastDot <= "key.".length()) {
        throw invalid(file, "unexpected entry '" + name + "'; entries read key.<id>.<field>");
      }
      String id = name.substring("key.".length(), lastDot);
      String field = name.substring(lastDot + 1);
      if (!FIELDS.contains(field)) {
        throw invalid(
            file, "key '" + id + "' has unknown field '" + field + "'; fields are " + FIELDS);
      }
      byId.computeIfAbsent(id, k -> new HashMap<>())
          .put(field, properties.getProperty(name).strip());
    }
    Map<HashKey, Entry> entries = new HashMap<>();
    for (Map.Entry<String, Map<String, String>> block : byId.entrySet()) {
      Entry entry = entry(file, block.getKey(), block.getValue());
      if (entries.put(new HashKey(entry.sha256), entry) != null) {
        throw invalid(file, "key '" + block.getKey() + "' has the same sha256 as another key");
      }
    }
    return entries;
  }

  private static Entry entry(Path file, String id, Map<String, String> fields) {
    String where = "key '" + id + "'";
    byte[] sha256;
    try {
      sha256 = HexFormat.of().parseHex(required(file, id, fields, "sha256"));
    } catch (IllegalArgumentException e) {
      throw invalid(file, where + ": sha256 must be 64 hex digits");
    }
    if (sha256.length != 32) {
      throw invalid(file, where + ": sha256 must be 64 hex digits");
    }
    Environment environment;
    try {
      environment = Environment.parse(required(file, id, fields, "environment"));
    } catch (IllegalArgumentException e) {
      throw invalid(file, where + ": " + e.getMessage());
    }
    Instant expires = null;
    if (fields.containsKey("expires")) {
      try {
        expires = Instant.parse(fields.get("expires"));
      } catch (DateTimeParseException e) {
        throw invalid(
            file, where + ": expires must be an ISO-8601 instant like 2027-01-01T00:00:00Z");
      }
    }
    String revoked = fields.getOrDefault("revoked", "false");
    if (!revoked.equals("true") && !revoked.equals("false")) {
      throw invalid(file, where + ": revoked must be true or false");
    }
    Set<String> scopes =
        new LinkedHashSet<>(Arrays.asList(fields.getOrDefault("scopes", "").split("[\\s,]+")));
    scopes.remove("");
    ApiKeyPrincipal principal =
        new ApiKeyPrincipal(id, required(file, id, fields, "owner"), environment, scopes, expires);
    return new Entry(sha256, principal, Boolean.parseBoolean(revoked));
  }

  private static String required(Path file, String id, Map<String, String> fields, String field) {
    String value = fields.get(field);
    if (value == null || value.isEmpty()) {
      throw invalid(file, "key '" + id + "' lacks " + field);
    }
    return value;
  }

  private static ConfigurationException invalid(Path file, String message) {
    return new ConfigurationException(
        NimbusAuthConfig.KEYS_FILE, "keys file " + file + ": " + message);
  }

  private record Entry(byte[] sha256, ApiKeyPrincipal principal, boolean revoked) {
    @Override
    public String toString() {
      return "Entry[" + principal.keyId() + "]";
    }
  }
}
