package com.nimbusos.auth.api.engine;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes request ids: {@code req_} and 24 hex digits, 96 bits from a {@link SecureRandom}, so that ids can
 * neither collide in practice nor be guessed. Each thread has its own generator to avoid contention on the
 * request path.
 */
public final class RequestIds {

  /** Every request id starts with this. */
  public static final String PREFIX = "req_";
  private static final int RANDOM_BYTES = 12;
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RequestIds::newRandom);

  private RequestIds() {}

  /** A new request id. */
  public static String next() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.get().nextBytes(bytes);
    return PREFIX + HEX.formatHex(bytes);
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
