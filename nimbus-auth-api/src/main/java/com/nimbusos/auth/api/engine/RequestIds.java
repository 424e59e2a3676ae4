package com.nimbusos.auth.api.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Makes request ids: {@code req_} and 24 hex digits, 96 bits from a {@link SecureRandom}, so that
 * ids can neither collide in practice nor be guessed. Each thread draws its random bytes {@value
 * #IDS_PER_DRAW} ids at a time from the one generator: a DRBG call costs about as much for 12 bytes
 * as for 384, so this takes most of its cost off each request, and the generator's lock is taken
 * once per {@value #IDS_PER_DRAW} ids. The bytes are the generator's output all the same, each used
 * once.
 *
 * <p>The thread-local holds a JDK type only ({@link ByteBuffer}): a container's pooled threads
 * outlive the web application, and a value of one of its classes would pin its class loader after
 * every undeploy.
 */
public final class RequestIds {

  /** Every request id starts with this. */
  public static final String PREFIX = "req_";

  private static final int RANDOM_BYTES = 12;
  private static final int IDS_PER_DRAW = 32;
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = newRandom();
  private static final ThreadLocal<ByteBuffer> UNUSED = new ThreadLocal<>();

  private RequestIds() {}

  /** A new request id. */
  public static String next() {
    ByteBuffer unused = UNUSED.get();
    if (unused == null) {
      unused =
          ByteBuffer.allocate(RANDOM_BYTES * IDS_PER_DRAW).position(RANDOM_BYTES * IDS_PER_DRAW);
      UNUSED.set(unused);
    }
    if (!unused.hasRemaining()) {
      RANDOM.nextBytes(unused.array());
      unused.clear();
    }
    int at = unused.position();
    unused.position(at + RANDOM_BYTES);
    // "req_" and 24 hex digits written into one Latin-1 array: no intermediate hex string to
    // concatenate
    byte[] random = unused.array();
    byte[] id = new byte[PREFIX_BYTES.length + 2 * RANDOM_BYTES];
    System.arraycopy(PREFIX_BYTES, 0, id, 0, PREFIX_BYTES.length);
    for (int i = 0; i < RANDOM_BYTES; i++) {
      int b = random[at + i] & 0xff;
      id[PREFIX_BYTES.length + 2 * i] = DIGITS[b >>> 4];
      id[PREFIX_BYTES.length + 2 * i + 1] = DIGITS[b & 0xf];
    }
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
