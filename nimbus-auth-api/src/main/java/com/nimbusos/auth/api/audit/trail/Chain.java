package com.nimbusos.auth.api.audit.trail;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash chain and its checkpoint HMACs: computes what a line's {@code chain} and {@code mac}
 * fields must hold after a given chain head, and seals lines by writing them. Not thread-safe: one
 * per writer or verifier.
 */
final class Chain {

  /** The head before the first record of a trail. */
  static final byte[] GENESIS = new byte[TrailFormat.HASH_BYTES];

  /**
   * The key an unsigned trail's checkpoints are sealed under: public, so that the checkpoints keep
   * their shape and a verifier without a key can still check everything but the signatures. Never
   * modified.
   */
  static final byte[] UNSIGNED_KEY = new byte[32];

  private final MessageDigest sha256;
  private final Mac hmac;
  private byte[] head;

  /**
   * A chain continuing from {@code head}.
   *
   * @param key the audit key (at least 32 bytes)
   */
  Chain(byte[] key, byte[] head) {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "SHA-256 and HmacSHA256 are required of every Java runtime", e);
    }
    this.head = head.clone();
  }

  /** The chain value of the last record sealed or accepted. */
  byte[] head() {
    return head.clone();
  }

  /** Continues from another head (the last record of a file recovered or checked elsewhere). */
  void resetTo(byte[] newHead) {
    head = newHead.clone();
  }

  /**
   * Seals an unsealed line in place, its HMAC first if it is a checkpoint, and makes it the head.
   *
   * @param length the line's length without its newline
   */
  void seal(byte[] line, int length) {
    if (TrailFormat.isCheckpoint(line, length)) {
      TrailFormat.writeHex(mac(head, line, length), line, TrailFormat.macHexStart(length));
    }
    byte[] chain = link(head, line, length);
    TrailFormat.writeHex(chain, line, TrailFormat.chainHexStart(length));
    head = chain;
  }

  /** Accepts a sealed line as the new head, without checking it. */
  void accept(byte[] chainValue) {
    head = chainValue.clone();
  }

  /** The chain value a line must hold when it follows {@code previous}. */
  byte[] link(byte[] previous, byte[] line, int length) {
    sha256.update(previous);
    sha256.update(line, 0, TrailFormat.canonicalEnd(length));
    return sha256.digest();
  }

  /** The HMAC a checkpoint line must hold when it follows {@code previous}. */
  byte[] mac(byte[] previous, byte[] line, int length) {
    hmac.update(previous);
    hmac.update(line, 0, TrailFormat.macCoveredEnd(length));
    return hmac.doFinal();
  }

  /** Compares in constant time, as for any MAC. */
  static boolean same(byte[] a, byte[] b) {
    return a != null && b != null && MessageDigest.isEqual(a, b);
  }
}
