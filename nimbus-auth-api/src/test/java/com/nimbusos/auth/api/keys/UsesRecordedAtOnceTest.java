package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Over an {@link InMemoryKeyStore} (the class itself) that holds more keys than the validator's
 * cache, a valid key's use is recorded in the store at once, found by its hash, not queued for the
 * next write: once per flush interval, at the time of the last tick, and never for a refused key.
 */
class UsesRecordedAtOnceTest {

  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

  private final MutableClock clock = new MutableClock(START);

  @Test
  void aUseIsInTheStoreAtOnceAndAgainOnlyAFlushIntervalLater() throws Exception {
    InMemoryKeyStore store = new InMemoryKeyStore();
    KeyManager manager = new KeyManager(store, KeyHasher.sha256(), clock);
    List<CreatedKey> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add(manager.create("acme", Environment.SANDBOX, Set.of(), null));
    }
    // as a file's load does: every key compacted (keys put since the last compaction are kept as
    // objects, and their uses still go through the batch)
    store.replaceAll(store.list(), Set.of());
    String first = keys.get(0).record().keyId();
    try (StoreKeyValidator validator =
        StoreKeyValidator.over(store)
            .clock(clock)
            .cacheSize(16)
            .lastUsedFlushInterval(Duration.ofSeconds(10))
            .build()) {
      assertValid(validator, keys.get(0));
      // no write of the batch: the use is in the store already (before the change it waited for
      // the flush)
      assertEquals(START, lastUse(store, first));

      clock.set(START.plusSeconds(5));
      validator.writeLastUses(); // the tick: the validator's time moves
      assertValid(validator, keys.get(0));
      assertEquals(START, lastUse(store, first), "within the flush interval: not recorded again");

      clock.set(START.plusSeconds(16));
      validator.writeLastUses();
      assertValid(validator, keys.get(0));
      assertEquals(START.plusSeconds(16), lastUse(store, first), "a flush interval later: again");

      CreatedKey revoked = keys.get(1);
      manager.revoke(revoked.record().keyId());
      ValidationResult refused = validator.validate(PresentedKey.of(revoked.key()));
      assertTrue(
          refused instanceof ValidationResult.Invalid invalid
              && invalid.reason() == InvalidReason.REVOKED,
          String.valueOf(refused));
      validator.writeLastUses();
      assertNull(lastUse(store, revoked.record().keyId()), "a refused key's use is not recorded");
    }
  }

  private static void assertValid(StoreKeyValidator validator, CreatedKey key) throws Exception {
    assertTrue(validator.validate(PresentedKey.of(key.key())) instanceof ValidationResult.Valid);
  }

  private static Instant lastUse(InMemoryKeyStore store, String keyId) throws Exception {
    return store.findById(keyId).orElseThrow().lastUsedAt();
  }
}
