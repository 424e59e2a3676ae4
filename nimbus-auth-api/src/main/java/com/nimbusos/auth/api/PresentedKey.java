package com.nimbusos.auth.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * An API key as a client presented it. Its {@link #toString()} is redacted ({@code sk_live_…wxyz})
 * so that a key passed to a logger or an exception message by mistake does not leak; only {@link
 * #value()} gives the secret, for hashing.
 */
public final class PresentedKey {

  private static final int SHOWN_SUFFIX = 4;
  private static final int MIN_LENGTH_TO_SHOW_PARTS = 16;

  /**
   * One SHA-256 instance per thread: {@code getInstance} per call costs more than hashing a key.
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(PresentedKey::newSha256);

  private final String value;

  /** The digest, once computed: the validator and the audit trail both need it for one request. */
  private volatile byte[] digest;

  private PresentedKey(String value) {
    this.value = value;
  }

  /**
   * Wraps a key.
   *
   * @throws IllegalArgumentException if {@code value} is null or empty
   */
  public static PresentedKey of(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("an API key must not be empty");
    }
    return new PresentedKey(value);
  }

  /** The secret itself. Hash it; never log, store or echo it. */
  public String value() {
    return value;
  }

  /**
   * The SHA-256 digest of the key's UTF-8 bytes, the form in which keys are stored. Computed once
   * per instance; each call returns a fresh copy.
   */
  public byte[] sha256() {
    byte[] computed = digest;
    if (computed == null) {
      computed = SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8));
      digest = computed;
    }
    return computed.clone();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must support SHA-256", e);
    }
  }

  /** The key with everything but its environment prefix and last four characters hidden. */
  public String redacted() {
    if (value.length() < MIN_LENGTH_TO_SHOW_PARTS) {
      return "…";
    }
    String prefix = "";
    for (Environment environment : Environment.values()) {
      if (value.startsWith(environment.keyPrefix())) {
        prefix = environment.keyPrefix();
      }
    }
    return prefix + "…" + value.substring(value.length() - SHOWN_SUFFIX);
  }

  /** Compares in constant time, so that comparing keys leaks nothing through timing. */
  @Override
  public boolean equals(Object other) {
    return other instanceof PresentedKey that
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  /** Returns {@link #redacted()}: never the key. */
  @Override
  public String toString() {
    return redacted();
  }
}
