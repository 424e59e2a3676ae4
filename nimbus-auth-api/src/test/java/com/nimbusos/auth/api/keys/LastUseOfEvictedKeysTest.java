package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * More keys in use than a validator caches: a key its cache let go and read back from an in-memory
 * store that already holds a use of it within the flush interval is not noted again (with a million
 * keys in use that was a write of every key about every second); once the interval has passed, it
 * is, so last use stays exact to the flush interval.
 */
class LastUseOfEvictedKeysTest {

  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

  /** Counts how often each key's last use is written. */
  private static final class UseCountingStore extends InMemoryKeyStore {
    final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException {
      lastUsedByKeyId
          .keySet()
          .forEach(id -> writes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
      super.recordLastUsed(lastUsedByKeyId);
    }

    int total() {
      return writes.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }

  @Test
  void aKeyReadBackWithinTheFlushIntervalIsNotNotedAgain() throws Exception {
    MutableClock clock = new MutableClock(START);
    UseCountingStore store = new UseCountingStore();
    assertTrue(InMemoryKeyStore.knownKeysReadDirectly(store), "the path under test");
    KeyManager manager = new KeyManager(store, KeyHasher.sha256(), clock);
    List<CreatedKey> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add(manager.create("acme", Environment.SANDBOX, Set.of(), null));
    }
    try (StoreKeyValidator validator =
        StoreKeyValidator.over(store)
            .clock(clock)
            .cacheSize(16)
            .lastUsedFlushInterval(Duration.ofSeconds(10))
            .build()) {
      validateAll(validator, keys);
      validator.writeLastUses();
      assertEquals(300, store.total(), "each key's first use written once");

      clock.set(START.plusSeconds(5));
      validator.writeLastUses(); // the clock as the poll thread reads it (nothing to write)
      for (int round = 0; round < 3; round++) {
        validateAll(validator, keys); // 300 keys through 16 slots: nearly all read back
      }
      validator.writeLastUses();
      int again = store.total() - 300;
      // a key read from the store with a use recorded 5 s ago is not noted again (before the
      // change: all 300); at most the few a cache kept since their first use are
      assertTrue(again <= 16, "uses written again within the interval: " + again);
      for (CreatedKey key : keys) {
        Instant recorded = store.findById(key.record().keyId()).orElseThrow().lastUsedAt();
        assertTrue(
            !recorded.isBefore(START) && !recorded.isAfter(START.plusSeconds(5)),
            "last use within the flush interval of the truth: " + recorded);
      }

      clock.set(START.plusSeconds(16)); // past the interval since the uses written at START
      validator.writeLastUses();
      validateAll(validator, keys);
      validator.writeLastUses();
      for (CreatedKey key : keys) {
        assertEquals(
            START.plusSeconds(16),
            store.findById(key.record().keyId()).orElseThrow().lastUsedAt(),
            "a key used a flush interval after its last recorded use is noted again");
      }
    }
  }

  private static void validateAll(StoreKeyValidator validator, List<CreatedKey> keys)
      throws Exception {
    for (CreatedKey key : keys) {
      assertTrue(validator.validate(PresentedKey.of(key.key())) instanceof ValidationResult.Valid);
    }
  }
}
