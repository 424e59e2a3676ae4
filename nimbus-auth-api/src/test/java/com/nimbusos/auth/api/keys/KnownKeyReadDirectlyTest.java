package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A validator over an in-memory store makes its cached keys straight from the store's compact
 * records, with no record; over any other store, from the record the store returns. Both must give
 * every key the same verdict, wherever the key sits in the store (compacted, in the middle tier, or
 * still an object) and whatever happened to it (revoked now or later, expiring, rotated, scoped
 * again, its owner disabled).
 */
class KnownKeyReadDirectlyTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void givesEveryKeyTheVerdictTheRecordGives() throws Exception {
    InMemoryKeyStore memory = new InMemoryKeyStore();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    KeyManager manager = new KeyManager(memory, KeyHasher.sha256(), clock);
    SplittableRandom random = new SplittableRandom(3);
    List<CreatedKey> keys = new ArrayList<>();
    // past two full compactions and a few of the middle tier (4,096 objects each)
    for (int i = 0; i < 14_000; i++) {
      Instant expiry = i % 11 == 0 ? NOW.plusSeconds(random.nextInt(1, 200)) : null;
      keys.add(
          manager.create(
              "partner-" + (i % 37),
              i % 5 == 0 ? Environment.SANDBOX : Environment.PRODUCTION,
              i % 2 == 0 ? Set.of("read") : Set.of("read", "write"),
              expiry));
      if (i % 13 == 0) {
        manager.revoke(keys.get(random.nextInt(keys.size())).record().keyId());
      }
      if (i % 17 == 0) {
        String id = keys.get(random.nextInt(keys.size())).record().keyId();
        if (!memory.findById(id).orElseThrow().isRevokedAt(NOW)) {
          keys.add(manager.rotate(id, NOW.plusSeconds(random.nextInt(1, 200))));
        }
      }
      if (i % 19 == 0) {
        manager.setScopes(keys.get(random.nextInt(keys.size())).record().keyId(), Set.of("admin"));
      }
    }
    manager.disableOwner("partner-3");
    KeyStore throughRecords = new CountingKeyStore(memory);
    Clock later = Clock.fixed(NOW.plusSeconds(100), ZoneOffset.UTC); // about half the expiries past
    assertTrue(InMemoryKeyStore.knownKeysReadDirectly(memory));
    assertFalse(InMemoryKeyStore.knownKeysReadDirectly(throughRecords));

    try (StoreKeyValidator direct =
            StoreKeyValidator.over(memory)
                .clock(later)
                .environment(Environment.PRODUCTION)
                .build();
        StoreKeyValidator viaRecords =
            StoreKeyValidator.over(throughRecords)
                .clock(later)
                .environment(Environment.PRODUCTION)
                .build()) {
      int valid = 0;
      for (CreatedKey key : keys) {
        ValidationResult expected = viaRecords.validate(PresentedKey.of(key.key()));
        assertEquals(expected, direct.validate(PresentedKey.of(key.key())), key.record().keyId());
        if (expected instanceof ValidationResult.Valid) {
          valid++;
        }
      }
      assertTrue(valid > keys.size() / 2 && valid < keys.size(), valid + " valid");
    }
  }

  /** A subclass that overrides the lookup by hash is asked through it, never around it. */
  @Test
  void aSubclassThatOverridesTheLookupIsAskedThroughIt() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    InMemoryKeyStore counting =
        new InMemoryKeyStore() {
          @Override
          public Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
            asked.incrementAndGet();
            return super.findByHash(hash);
          }
        };
    CreatedKey key =
        new KeyManager(counting, KeyHasher.sha256())
            .create("partner", Environment.PRODUCTION, Set.of("read"), null);
    assertFalse(InMemoryKeyStore.knownKeysReadDirectly(counting));
    try (StoreKeyValidator validator = StoreKeyValidator.over(counting).build()) {
      assertTrue(validator.validate(PresentedKey.of(key.key())) instanceof ValidationResult.Valid);
    }
    assertEquals(1, asked.get());
  }
}
