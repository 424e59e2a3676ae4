package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes of a cluster share one PostgreSQL, each with its own data source, store and cache; an
 * administrator changes a key (or a partner) through a third. Neither node hears of it in-process,
 * and neither polls during the test (every 10 s): each must learn of it from the database's
 * notification, well within 1 second. Every change that must take effect at once goes this way. The
 * measured delays are printed; {@link RevocationBoundTest} measures their distribution.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class TwoNodeRevocationTest {

  private static final Duration BOUND = Duration.ofSeconds(1);
  private static final Duration NO_POLL = Duration.ofSeconds(10);

  @Test
  void aRevocationReachesEveryNodeByPush(EmbeddedPostgres postgres) throws Exception {
    assertReachesBothNodes(
        postgres,
        "Revocation",
        Set.of("orders:read"),
        (admin, key) -> admin.revoke(key.record().keyId()),
        refused(InvalidReason.REVOKED));
  }

  @Test
  void disablingAPartnerReachesEveryNodeByPush(EmbeddedPostgres postgres) throws Exception {
    assertReachesBothNodes(
        postgres,
        "Disabling",
        Set.of(),
        (admin, key) -> admin.disableOwner("acme"),
        refused(InvalidReason.DISABLED));
  }

  @Test
  void anExpiryBroughtForwardReachesEveryNodeByPush(EmbeddedPostgres postgres) throws Exception {
    assertReachesBothNodes(
        postgres,
        "Expiry",
        Set.of(),
        (admin, key) -> admin.expire(key.record().keyId(), Instant.now()),
        refused(InvalidReason.EXPIRED));
  }

  @Test
  void aNarrowedScopeReachesEveryNodeByPush(EmbeddedPostgres postgres) throws Exception {
    assertReachesBothNodes(
        postgres,
        "Scope change",
        Set.of("orders:read", "orders:write"),
        (admin, key) -> admin.setScopes(key.record().keyId(), Set.of("orders:read")),
        result ->
            result instanceof ValidationResult.Valid valid
                && valid.principal().scopes().equals(Set.of("orders:read")));
  }

  @FunctionalInterface
  private interface Change {
    void apply(KeyManager admin, CreatedKey key) throws KeyStoreException;
  }

  private static void assertReachesBothNodes(
      EmbeddedPostgres postgres,
      String what,
      Set<String> scopes,
      Change change,
      Predicate<ValidationResult> applied)
      throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    KeyManager admin =
        new KeyManager(new JdbcKeyStore(database.dataSource(), "admin"), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, scopes, null);
    try (StoreKeyValidator nodeA = node(database, "node-a");
        StoreKeyValidator nodeB = node(database, "node-b")) {
      database.awaitListeners(2);
      warm(nodeA, key.key());
      warm(nodeB, key.key());
      change.apply(admin, key);
      long changedAt = System.nanoTime();
      Duration delayA = timeUntil(nodeA, key.key(), applied, changedAt);
      Duration delayB = timeUntil(nodeB, key.key(), applied, changedAt);
      System.out.printf(
          "%s reached node A after %d ms and node B after %d ms (bound %d ms, no poll)%n",
          what, delayA.toMillis(), delayB.toMillis(), BOUND.toMillis());
      assertTrue(delayA.compareTo(BOUND) < 0, "node A took " + delayA);
      assertTrue(delayB.compareTo(BOUND) < 0, "node B took " + delayB);
    }
  }

  private static Predicate<ValidationResult> refused(InvalidReason reason) {
    return result -> {
      if (result instanceof ValidationResult.Invalid invalid) {
        assertEquals(reason, invalid.reason());
        return true;
      }
      return false;
    };
  }

  private static StoreKeyValidator node(TestDatabases database, String name) {
    return StoreKeyValidator.over(new JdbcKeyStore(database.dataSource(), name))
        .environment(Environment.SANDBOX)
        .pollInterval(NO_POLL)
        .maxStaleness(NO_POLL.multipliedBy(2))
        .build();
  }

  private static void warm(StoreKeyValidator node, String key) throws KeyValidationException {
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(ValidationResult.Valid.class, node.validate(PresentedKey.of(key)));
    }
  }

  /** Validates every millisecond until the change shows, for up to twice the bound. */
  private static Duration timeUntil(
      StoreKeyValidator node, String key, Predicate<ValidationResult> applied, long sinceNanos)
      throws Exception {
    while (System.nanoTime() - sinceNanos < BOUND.multipliedBy(2).toNanos()) {
      if (applied.test(node.validate(PresentedKey.of(key)))) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos);
      }
      Thread.sleep(1);
    }
    return Duration.ofNanos(System.nanoTime() - sinceNanos);
  }
}
