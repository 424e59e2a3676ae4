package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over an in-memory store (not the JSON file store) that holds more keys than the validator's
 * cache, keys read from the store are not cached (reading its compact records costs about what a
 * hit costs at that size, and caching would evict one key for another on every request); over one
 * that fits, they are. Either way every key gets its verdict, and a revocation is seen at the next
 * request.
 */
class InMemoryStoreCachingTest {

  private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

  private final InMemoryKeyStore store = new InMemoryKeyStore();
  private final KeyManager manager =
      new KeyManager(store, KeyHasher.sha256(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aStoreLargerThanTheCacheIsReadNotCached() throws Exception {
    List<CreatedKey> keys = create(200);
    try (StoreKeyValidator validator = StoreKeyValidator.over(store).cacheSize(16).build()) {
      for (int round = 0; round < 2; round++) {
        assertAllValid(validator, keys);
      }
      assertEquals(0, validator.cachedKeys());
      manager.revoke(keys.get(5).record().keyId());
      assertRefused(validator, keys.get(5), InvalidReason.REVOKED);
      assertTrue(
          validator.validate(PresentedKey.of(keys.get(6).key())) instanceof ValidationResult.Valid);
    }
  }

  @Test
  void aStoreThatFitsIsCachedUntilItOutgrowsTheCache() throws Exception {
    // The cache is four-way set associative: ten keys in sixteen slots (four sets) would often put
    // five in one set and evict one. In 1,024 slots that happens about once in 10^7 caches.
    List<CreatedKey> keys = create(10);
    try (StoreKeyValidator validator = StoreKeyValidator.over(store).cacheSize(1024).build()) {
      assertAllValid(validator, keys);
      assertEquals(10, validator.cachedKeys(), "ten keys in 1,024 slots: all cached");
      manager.revoke(keys.get(3).record().keyId());
      assertRefused(validator, keys.get(3), InvalidReason.REVOKED);

      keys.addAll(create(1100)); // more keys than the cache holds
      assertAllValid(validator, keys.subList(4, keys.size()));
      assertEquals(0, validator.cachedKeys(), "once the store outgrows the cache");
    }
  }

  /**
   * The JSON file store looks at its file and takes its monitor on each lookup: it stays cached.
   */
  @Test
  void theJsonFileStoreIsCachedWhateverItsSize(@TempDir Path dir) throws Exception {
    JsonFileKeyStore json = JsonFileKeyStore.open(dir.resolve("keys.json"));
    KeyManager jsonManager =
        new KeyManager(json, KeyHasher.sha256(), Clock.fixed(NOW, ZoneOffset.UTC));
    List<CreatedKey> keys = create(jsonManager, 200);
    try (StoreKeyValidator validator = StoreKeyValidator.over(json).cacheSize(16).build()) {
      assertAllValid(validator, keys);
      assertTrue(validator.cachedKeys() > 0, "cached: " + validator.cachedKeys());
    }
  }

  private List<CreatedKey> create(int count) throws KeyStoreException {
    return create(manager, count);
  }

  private static List<CreatedKey> create(KeyManager manager, int count) throws KeyStoreException {
    List<CreatedKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(manager.create("acme", Environment.SANDBOX, Set.of(), null));
    }
    return keys;
  }

  private static void assertAllValid(StoreKeyValidator validator, List<CreatedKey> keys)
      throws Exception {
    for (CreatedKey key : keys) {
      assertTrue(
          validator.validate(PresentedKey.of(key.key())) instanceof ValidationResult.Valid,
          key.record().keyId());
    }
  }

  private static void assertRefused(
      StoreKeyValidator validator, CreatedKey key, InvalidReason reason) throws Exception {
    ValidationResult result = validator.validate(PresentedKey.of(key.key()));
    assertTrue(
        result instanceof ValidationResult.Invalid invalid && invalid.reason() == reason,
        key.record().keyId() + ": " + result);
  }
}
