package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The format of Nimbus keys, after Stripe's prefixes and GitHub's checksummed tokens: the environment's
 * prefix ({@code sk_test_} or {@code sk_live_}), 32 base62 characters from {@link SecureRandom} (about 190
 * bits), then the CRC32 of everything before it as 6 base62 characters. The checksum lets a typo or a
 * random guess be refused before any store lookup, and lets secret scanners recognise leaked keys.
 */
public final class ApiKeyFormat {

  /** Length of the random part. */
  public static final int SECRET_LENGTH = 32;
  /** Length of the checksum. */
  public static final int CHECKSUM_LENGTH = 6;
  /** Length of a whole key: prefix, secret, checksum. */
  public static final int KEY_LENGTH = 8 + SECRET_LENGTH + CHECKSUM_LENGTH;

  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Environment[] ENVIRONMENTS = Environment.values();
  @SuppressWarnings("unchecked")
  private static final Optional<Environment>[] FOUND = new Optional[ENVIRONMENTS.length];

  static {
    for (Environment environment : ENVIRONMENTS) {
      FOUND[environment.ordinal()] = Optional.of(environment);
    }
  }

  private ApiKeyFormat() {}

  /** A new random key for {@code environment}. */
  public static String generate(Environment environment) {
    StringBuilder key = new StringBuilder(KEY_LENGTH).append(environment.keyPrefix());
    for (int i = 0; i < SECRET_LENGTH; i++) {
      key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return key.append(checksum(key)).toString();
  }

  /**
   * The environment of a well-formed key: right prefix, length, alphabet and checksum. Empty for anything
   * else, which is then refused as malformed. On every request's path, so it allocates nothing but the
   * checksum's input and does no search: a range check per character, one CRC32, a digit-by-digit compare.
   */
  public static Optional<Environment> environmentOf(String key) {
    if (key == null || key.length() != KEY_LENGTH) {
      return Optional.empty();
    }
    Environment environment = null;
    for (Environment candidate : ENVIRONMENTS) {
      if (key.startsWith(candidate.keyPrefix())) {
        environment = candidate;
      }
    }
    if (environment == null) {
      return Optional.empty();
    }
    int prefixLength = environment.keyPrefix().length();
    byte[] body = new byte[KEY_LENGTH - CHECKSUM_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      char c = key.charAt(i);
      if (i >= prefixLength && !isBase62(c)) {
        return Optional.empty();
      }
      if (i < body.length) {
        body[i] = (byte) c; // the prefix matched, the rest is base62: all ASCII
      }
    }
    CRC32 crc = new CRC32();
    crc.update(body, 0, body.length);
    long value = crc.getValue();
    for (int i = KEY_LENGTH - 1; i >= KEY_LENGTH - CHECKSUM_LENGTH; i--) {
      if (key.charAt(i) != BASE62.charAt((int) (value % 62))) {
        return Optional.empty();
      }
      value /= 62;
    }
    return FOUND[environment.ordinal()];
  }

  private static boolean isBase62(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** The last four characters, kept with the hash so people can tell their keys apart. */
  public static String last4(String key) {
    return key.substring(key.length() - 4);
  }

  private static String checksum(CharSequence body) {
    CRC32 crc = new CRC32();
    crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[CHECKSUM_LENGTH];
    for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }
}
