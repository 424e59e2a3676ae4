package com.nimbusos.auth.api;

import java.util.Locale;

/**
 * The environment a key belongs to. A deployment serves one environment; keys of the other are
 * refused.
 */
public enum Environment {
  /** Test integrations; keys start with {@code sk_test_}. */
  SANDBOX("sk_test_"),
  /** Live integrations; keys start with {@code sk_live_}. */
  PRODUCTION("sk_live_");

  private final String keyPrefix;

  /** Made once: every audit event names its key's environment. */
  private final String configName;

  Environment(String keyPrefix) {
    this.keyPrefix = keyPrefix;
    this.configName = name().toLowerCase(Locale.ROOT);
  }

  /** The prefix every key of this environment starts with. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * The lower-case name used in configuration and key files: {@code sandbox} or {@code production}.
   */
  public String configName() {
    return configName;
  }

  /**
   * Parses {@code sandbox} or {@code production}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException for any other value; the message lists the accepted ones
   */
  public static Environment parse(String value) {
    String normalized = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (Environment environment : values()) {
      if (environment.name().equals(normalized)) {
        return environment;
      }
    }
    throw new IllegalArgumentException(
        "unknown environment '" + value + "', expected 'sandbox' or 'production'");
  }
}
