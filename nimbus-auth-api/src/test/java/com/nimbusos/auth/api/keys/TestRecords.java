package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import java.time.Instant;
import java.util.Set;
import java.util.SplittableRandom;

/** Key records for the validator parts' tests: a hash drawn from a seeded random, nothing else. */
final class TestRecords {

  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private TestRecords() {}

  /** A sandbox record of owner "acme" whose hash is drawn from {@code seed}. */
  static KeyRecord record(String keyId, long seed) {
    return new KeyRecord(
        keyId,
        hash(seed),
        "acme",
        Environment.SANDBOX,
        Set.of(),
        "Ab9z",
        CREATED,
        null,
        null,
        null);
  }

  static byte[] hash(long seed) {
    byte[] hash = new byte[32];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) random.nextInt(256);
    }
    return hash;
  }
}
