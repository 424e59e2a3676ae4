package com.nimbusos.auth.api.engine;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes request ids: {@code req_} and 24 hex digits, 96 bits from a {@link SecureRandom}, so that ids can
 * neither collide in practice nor be guessed. Each thread has its own generator to avoid contention on the
 * request path, and draws its random bytes {@value #IDS_PER_DRAW} ids at a time: a DRBG call costs about
 * as much for 12 bytes as for 384, so this takes most of its cost off each request. The bytes are the
 * generator's output all the same, each used once.
 */
public final class RequestIds {

  /** Every request id starts with this. */
  public static final String PREFIX = "req_";
  private static final int RANDOM_BYTES = 12;
  private static final int IDS_PER_DRAW = 32;
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<Source> SOURCE = ThreadLocal.withInitial(Source::new);

  private RequestIds() {}

  /** A new request id. */
  public static String next() {
    return SOURCE.get().next();
  }

  /** One thread's generator and its unused random bytes. */
  private static final class Source {
    private final SecureRandom random = newRandom();
    private final byte[] bytes = new byte[RANDOM_BYTES * IDS_PER_DRAW];
    private int used = bytes.length;

    String next() {
      if (used == bytes.length) {
        random.nextBytes(bytes);
        used = 0;
      }
      String id = PREFIX + HEX.formatHex(bytes, used, used + RANDOM_BYTES);
      used += RANDOM_BYTES;
      return id;
    }
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
