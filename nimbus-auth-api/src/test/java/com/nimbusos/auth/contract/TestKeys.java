package com.nimbusos.auth.contract;

/** The keys of the contract fixture; only their hashes are in {@code contract-keys.properties}. */
public final class TestKeys {

  /** Scope orders:read. */
  public static final String READ = "sk_test_DhU4XgaOzyx7J3SdoVwgP4FmErxTM1cH";

  /** Scopes orders:read and orders:write. */
  public static final String WRITE = "sk_test_ho4PAAANvkYfQv9NomBbjl2y4y5qtO2o";

  /** Revoked. */
  public static final String REVOKED = "sk_test_SoJGr297EYx8ZXnd1mof4efXgMxhV8az";

  /** Expired in 2020. */
  public static final String EXPIRED = "sk_test_36a4sMzMJ5xu09kc24Qo4YXgInJMnyIL";

  /** A production key: the wrong environment for the sandbox contract app. */
  public static final String PRODUCTION = "sk_live_A98MzEdxuVdZ7JzXB51Dd6Vc5SYBEldz";

  /**
   * Scope orders:read, expiring in 2099, as a rotated key in its grace period: answered with
   * Sunset.
   */
  public static final String GRACE = "sk_test_GraceRotatedKey0000000000000001";

  /**
   * Valid, sandbox, scope {@code reports:read} only: none of the contract app's scopes. A key that
   * may pass authentication but no scope rule on the contract app's paths.
   */
  public static final String UNSCOPED = "sk_test_XeTunoxsllGosg8gD7Y5goV3nP58v1ab";

  /** In no store. */
  public static final String UNKNOWN = "sk_test_FN1XdtXNMPqAXiuF3XRcNWc0fZ581jIB";

  /** Makes the contract validator throw KeyValidationException (with the key in its message). */
  public static final String OUTAGE = "sk_test_gb32enswFwTjT7fXwZ8Qz8IpCRMRz5Ka";

  /** Makes the contract validator return null. */
  public static final String NULL_RESULT = "sk_test_eHCk7FeRvH4SUeledHRZHeDFHzMGL3ZD";

  /** Makes the contract validator throw an unexpected RuntimeException. */
  public static final String CRASH = "sk_test_F2gyjniYpMBoCO0WX8SivsTMS2nZnLrO";

  /** Every key above, to search logs for. */
  public static final java.util.List<String> ALL =
      java.util.List.of(
          READ,
          WRITE,
          GRACE,
          UNSCOPED,
          REVOKED,
          EXPIRED,
          PRODUCTION,
          UNKNOWN,
          OUTAGE,
          NULL_RESULT,
          CRASH);

  /** The full SHA-256 of a key in hex: the stored secret, which no log may carry either. */
  public static String sha256Hex(String key) {
    return java.util.HexFormat.of().formatHex(com.nimbusos.auth.api.PresentedKey.of(key).sha256());
  }

  private TestKeys() {}
}
