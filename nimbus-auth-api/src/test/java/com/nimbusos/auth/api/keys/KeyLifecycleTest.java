package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Create, rotate, revoke, expire and disable, as seen by a cached validator on the same store. */
class KeyLifecycleTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final CountingKeyStore store = new CountingKeyStore(new InMemoryKeyStore());
  private final KeyManager manager = new KeyManager(store, KeyHasher.sha256(), clock);
  private final StoreKeyValidator validator =
      StoreKeyValidator.over(store)
          .environment(Environment.SANDBOX)
          .clock(clock)
          .pollInterval(Duration.ofMillis(50))
          .maxStaleness(Duration.ofMillis(500))
          .build();

  @AfterEach
  void close() {
    validator.close();
  }

  @Test
  void acceptsACreatedKeyAndShowsItsClearValueOnlyOnce() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of("orders:read"), null);
    ValidationResult.Valid valid = assertValid(created.key());
    assertEquals(created.record().keyId(), valid.principal().keyId());
    assertEquals(Set.of("orders:read"), valid.principal().scopes());
    assertFalse(created.toString().contains(created.key()), created.toString());
    assertFalse(created.record().toString().contains(created.record().hashHex()));
    assertEquals(ApiKeyFormat.last4(created.key()), created.record().last4());
  }

  @Test
  void refusesARevokedKeyOnTheVeryNextRequest() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    assertValid(created.key());
    assertValid(created.key());
    manager.revoke(created.record().keyId());
    assertInvalid(created.key(), InvalidReason.REVOKED);
  }

  @Test
  void keepsBothKeysWorkingDuringARotationUntilTheOldOneIsRevoked() throws Exception {
    CreatedKey old = manager.create("acme", Environment.SANDBOX, Set.of("orders:read"), null);
    CreatedKey fresh = manager.rotate(old.record().keyId(), null);
    assertNotEquals(old.key(), fresh.key());
    assertEquals(old.record().owner(), fresh.record().owner());
    assertEquals(old.record().scopes(), fresh.record().scopes());
    assertValid(old.key());
    assertValid(fresh.key());
    manager.revoke(old.record().keyId());
    assertInvalid(old.key(), InvalidReason.REVOKED);
    assertValid(fresh.key());
  }

  @Test
  void endsTheOldKeyAtTheGraceExpiryOfARotation() throws Exception {
    CreatedKey old = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    Instant graceUntil = clock.instant().plus(Duration.ofDays(7));
    manager.rotate(old.record().keyId(), graceUntil);
    ValidationResult.Valid inGrace = assertValid(old.key());
    assertEquals(
        graceUntil, inGrace.principal().expiresAt(), "the principal carries the sunset time");
    clock.set(graceUntil.minusMillis(1));
    assertValid(old.key());
    clock.set(graceUntil);
    assertInvalid(old.key(), InvalidReason.EXPIRED);
  }

  @Test
  void expiresAKeyExactlyAtItsExpiry() throws Exception {
    Instant expiry = clock.instant().plusSeconds(60);
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), expiry);
    clock.set(expiry.minusNanos(1));
    assertValid(created.key());
    clock.set(expiry);
    assertInvalid(created.key(), InvalidReason.EXPIRED);
  }

  @Test
  void disablingAPartnerStopsAllItsKeysAtOnceAndEnablingRestoresThem() throws Exception {
    CreatedKey first = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    CreatedKey second = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    CreatedKey other = manager.create("globex", Environment.SANDBOX, Set.of(), null);
    assertValid(first.key());
    manager.disableOwner("acme");
    assertInvalid(first.key(), InvalidReason.DISABLED);
    assertInvalid(second.key(), InvalidReason.DISABLED);
    assertValid(other.key());
    manager.enableOwner("acme");
    assertValid(first.key());
  }

  @Test
  void refusesMalformedAndOtherEnvironmentKeysBeforeAnyLookup() throws Exception {
    CreatedKey live = manager.create("acme", Environment.PRODUCTION, Set.of(), null);
    String sandbox = manager.create("acme", Environment.SANDBOX, Set.of(), null).key();
    int before = store.lookups.get();
    assertInvalid(live.key(), InvalidReason.WRONG_ENVIRONMENT);
    assertInvalid(
        sandbox.substring(0, 45) + (sandbox.endsWith("a") ? "b" : "a"), InvalidReason.MALFORMED);
    assertInvalid("sk_test_short", InvalidReason.MALFORMED);
    assertEquals(before, store.lookups.get());
  }

  @Test
  void aFloodOfUnknownKeysCostsOneLookupEach_andARepeatCostsNone() throws Exception {
    String unknown = ApiKeyFormat.generate(Environment.SANDBOX);
    for (int i = 0; i < 100; i++) {
      assertInvalid(unknown, InvalidReason.UNKNOWN);
    }
    assertEquals(1, store.lookups.get());
  }

  @Test
  void withEveryKeyIndexedAFloodOfDistinctUnknownKeysCostsNoLookupAtAll() throws Exception {
    CreatedKey known = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    StoreKeyValidator indexed =
        StoreKeyValidator.over(store).index(true).negativeCacheSize(10).build();
    try {
      int before = store.lookups.get();
      for (int i = 0; i < 1_000; i++) {
        ValidationResult result =
            indexed.validate(PresentedKey.of(ApiKeyFormat.generate(Environment.SANDBOX)));
        assertEquals(ValidationResult.invalid(InvalidReason.UNKNOWN), result);
      }
      assertEquals(before, store.lookups.get(), "an unknown key reached the store");
      assertInstanceOf(
          ValidationResult.Valid.class, indexed.validate(PresentedKey.of(known.key())));
      assertEquals(before + 1, store.lookups.get(), "the known key is looked up once, then cached");

      // A key created through this JVM is accepted on the very next request; a revoked one refused.
      CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
      assertInstanceOf(
          ValidationResult.Valid.class, indexed.validate(PresentedKey.of(created.key())));
      manager.revoke(known.record().keyId());
      assertEquals(
          ValidationResult.invalid(InvalidReason.REVOKED),
          indexed.validate(PresentedKey.of(known.key())));
    } finally {
      indexed.close();
    }
  }

  @Test
  void withEveryKeyIndexedAKeyCreatedOnAnotherNodeIsAcceptedFromTheNextPoll() throws Exception {
    InMemoryKeyStore shared = new InMemoryKeyStore();
    // This node's view of the shared storage tells its validator nothing: only the revision poll
    // does.
    CountingKeyStore thisNode = new CountingKeyStore(shared);
    thisNode.forwardsChangeListeners = false;
    StoreKeyValidator indexed =
        StoreKeyValidator.over(thisNode)
            .index(true)
            .pollInterval(Duration.ofMillis(20))
            .maxStaleness(Duration.ofMillis(500))
            .build();
    try {
      String early = ApiKeyFormat.generate(Environment.SANDBOX);
      assertEquals(
          ValidationResult.invalid(InvalidReason.UNKNOWN),
          indexed.validate(PresentedKey.of(early)));
      CreatedKey created =
          new KeyManager(shared, KeyHasher.sha256())
              .create("acme", Environment.SANDBOX, Set.of(), null);
      long deadline = System.nanoTime() + 2_000_000_000L;
      ValidationResult result = indexed.validate(PresentedKey.of(created.key()));
      while (!(result instanceof ValidationResult.Valid) && System.nanoTime() < deadline) {
        Thread.sleep(10);
        result = indexed.validate(PresentedKey.of(created.key()));
      }
      assertInstanceOf(
          ValidationResult.Valid.class, result, "a key created elsewhere was never accepted");
    } finally {
      indexed.close();
    }
  }

  @Test
  void keepsTheNegativeCacheBounded() throws Exception {
    StoreKeyValidator small = StoreKeyValidator.over(store).negativeCacheSize(10).build();
    try {
      for (int i = 0; i < 1_000; i++) {
        small.validate(PresentedKey.of(ApiKeyFormat.generate(Environment.SANDBOX)));
      }
      String repeated = ApiKeyFormat.generate(Environment.SANDBOX);
      small.validate(PresentedKey.of(repeated));
      int lookups = store.lookups.get();
      small.validate(PresentedKey.of(repeated));
      assertEquals(lookups, store.lookups.get(), "a recent unknown key is still remembered");
    } finally {
      small.close();
    }
  }

  @Test
  void keepsTheCacheOfKnownKeysBoundedAndStillAcceptsEveryKey() throws Exception {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add(manager.create("acme", Environment.SANDBOX, Set.of(), null).key());
    }
    StoreKeyValidator small = StoreKeyValidator.over(store).cacheSize(16).build();
    try {
      for (int round = 0; round < 3; round++) {
        for (String key : keys) {
          assertTrue(
              small.validate(PresentedKey.of(key)) instanceof ValidationResult.Valid,
              "an evicted key is read again");
        }
      }
      // 200 keys through a cache of 16: most were evicted and read from the store again
      assertTrue(store.lookups.get() > 400, "lookups: " + store.lookups.get());
      String hot = keys.get(0);
      small.validate(PresentedKey.of(hot));
      int lookups = store.lookups.get();
      for (int i = 0; i < 100; i++) {
        small.validate(PresentedKey.of(hot));
      }
      assertEquals(lookups, store.lookups.get(), "a key in use stays cached");
    } finally {
      small.close();
    }
  }

  @Test
  void aKnownKeyCostsNoStoreRoundTrip() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    assertValid(created.key());
    int lookups = store.lookups.get();
    for (int i = 0; i < 100; i++) {
      assertValid(created.key());
    }
    assertEquals(lookups, store.lookups.get());
  }

  @Test
  void recordsLastUseInBatchesNotPerRequest() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    for (int i = 0; i < 1_000; i++) {
      assertValid(created.key());
    }
    validator.close();
    assertEquals(1, store.lastUsedWrites.get());
    assertEquals(
        clock.instant(), store.findById(created.record().keyId()).orElseThrow().lastUsedAt());
  }

  @Test
  void failsClosedWhenTheStoreIsDownBeyondTheStalenessBound() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    assertValid(created.key());
    store.down = true;
    Thread.sleep(700);
    KeyValidationException e =
        assertThrows(
            KeyValidationException.class, () -> validator.validate(PresentedKey.of(created.key())));
    assertFalse(e.getMessage().contains(created.key()));
    store.down = false;
    assertValid(created.key());
  }

  @Test
  void refusesToRotateARevokedKeyOrExpireIntoThePast() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    manager.revoke(created.record().keyId());
    assertThrows(
        IllegalArgumentException.class, () -> manager.rotate(created.record().keyId(), null));
    assertThrows(
        IllegalArgumentException.class,
        () -> manager.create("acme", Environment.SANDBOX, Set.of(), clock.instant()));
    assertThrows(IllegalArgumentException.class, () -> manager.revoke("key_missing"));
  }

  @Test
  void revokingTwiceKeepsTheFirstTime() throws Exception {
    CreatedKey created = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    Instant first = manager.revoke(created.record().keyId()).revokedAt();
    clock.set(clock.instant().plusSeconds(5));
    assertEquals(first, manager.revoke(created.record().keyId()).revokedAt());
    assertTrue(manager.list().get(0).isRevokedAt(clock.instant()));
  }

  private ValidationResult.Valid assertValid(String key) throws KeyValidationException {
    return assertInstanceOf(ValidationResult.Valid.class, validator.validate(PresentedKey.of(key)));
  }

  private void assertInvalid(String key, InvalidReason reason) throws KeyValidationException {
    assertEquals(ValidationResult.invalid(reason), validator.validate(PresentedKey.of(key)));
  }
}
