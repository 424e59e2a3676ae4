package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.contract.ContractKeyValidator;
import com.nimbusos.auth.contract.TestKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;

/**
 * The keys the routing corpus sends, with their id and scopes as the contract fixture ({@code
 * contract-keys.properties}, read by {@link ContractKeyValidator}) holds them: found by the key's
 * hash, so that the oracle's expectations cannot drift from what the validator knows.
 */
public enum ProbeKey {
  /** No {@code X-API-Key} header at all. */
  NONE(null),
  /** {@code orders:read}. */
  READ(TestKeys.READ),
  /** {@code orders:read orders:write}. */
  WRITE(TestKeys.WRITE),
  /** {@code reports:read}: valid, but none of the probe's scopes. */
  UNSCOPED(TestKeys.UNSCOPED);

  private final String key;
  private final String id;
  private final Set<String> scopes;

  ProbeKey(String key) {
    this.key = key;
    if (key == null) {
      this.id = null;
      this.scopes = Set.of();
    } else {
      Properties fixture = Fixture.PROPERTIES;
      String hash = TestKeys.sha256Hex(key);
      String name =
          fixture.stringPropertyNames().stream()
              .filter(
                  property ->
                      property.endsWith(".sha256") && fixture.getProperty(property).equals(hash))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "key " + name() + " is not in the contract fixture"));
      String prefix = name.substring(0, name.length() - ".sha256".length());
      this.id = prefix.substring("key.".length());
      this.scopes =
          Set.copyOf(Arrays.asList(fixture.getProperty(prefix + ".scopes").strip().split("\\s+")));
    }
  }

  /** The key itself, or {@code null} for {@link #NONE}. */
  public String key() {
    return key;
  }

  /**
   * The key's public id in the fixture (what the application and the audit trail see), or {@code
   * null}.
   */
  public String id() {
    return id;
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  /** The fixture, loaded once (an enum's constructor cannot read its own static fields). */
  private static final class Fixture {
    static final Properties PROPERTIES = load();

    private static Properties load() {
      try (InputStream in =
          ContractKeyValidator.class.getResourceAsStream("contract-keys.properties")) {
        Properties properties = new Properties();
        properties.load(in);
        return properties;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
