package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The format of Nimbus keys, after Stripe's prefixes and GitHub's checksummed tokens: the
 * environment's prefix ({@code sk_test_} or {@code sk_live_}), 32 base62 characters from {@link
 * SecureRandom} (about 190 bits), then the CRC32 of everything before it as 6 base62 characters.
 * The checksum lets a typo or a random guess be refused before any store lookup, and lets secret
 * scanners recognise leaked keys.
 */
public final class ApiKeyFormat {

  /** Length of the random part. */
  public static final int SECRET_LENGTH = 32;

  /** Length of the checksum. */
  public static final int CHECKSUM_LENGTH = 6;

  /** Length of a whole key: prefix, secret, checksum. */
  public static final int KEY_LENGTH = 8 + SECRET_LENGTH + CHECKSUM_LENGTH;

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Environment[] ENVIRONMENTS = Environment.values();

  // Indexed by ordinal: filled from values() just below, in this class, and read on every request,
  // where
  // an EnumMap lookup would cost more than the array. Raw because Java has no generic array
  // creation.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Optional<Environment>[] FOUND = new Optional[ENVIRONMENTS.length];

  private static final boolean[] IS_BASE62 = new boolean[256];

  @SuppressWarnings("EnumOrdinal") // FOUND is indexed by ordinal (see there)
  private static Optional<Environment> found(Environment environment) {
    return FOUND[environment.ordinal()];
  }

  static {
    for (int i = 0; i < ENVIRONMENTS.length; i++) {
      FOUND[i] = Optional.of(ENVIRONMENTS[i]);
    }
    for (int i = 0; i < BASE62.length(); i++) {
      IS_BASE62[BASE62.charAt(i)] = true;
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
   * Verifies a key's format and checksum, and answers its environment if they hold: right prefix,
   * length, alphabet and CRC32. Empty for anything else, which is then refused as malformed. On
   * every request's path, so it allocates nothing but the checksum's input and does no search: a
   * range check per character, one CRC32, a digit-by-digit compare.
   */
  public static Optional<Environment> environmentIfChecksumValid(String key) {
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
    // One bulk copy; a character outside Latin-1 becomes '?', which is not base62 and fails below.
    byte[] bytes = key.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = environment.keyPrefix().length(); i < KEY_LENGTH; i++) {
      if (!IS_BASE62[bytes[i] & 0xff]) {
        return Optional.empty();
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, KEY_LENGTH - CHECKSUM_LENGTH);
    long value = crc.getValue();
    for (int i = KEY_LENGTH - 1; i >= KEY_LENGTH - CHECKSUM_LENGTH; i--) {
      if (bytes[i] != BASE62.charAt((int) (value % 62))) {
        return Optional.empty();
      }
      value /= 62;
    }
    return found(environment);
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
