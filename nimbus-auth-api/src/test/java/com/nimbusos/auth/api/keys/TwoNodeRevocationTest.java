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
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes of a cluster share one PostgreSQL, each with its own store connection and its own cache; an
 * administrator revokes a key (or disables a partner) through a third connection. Neither node hears of it
 * in-process: each must notice within 1 second by itself. The measured delays are printed.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class TwoNodeRevocationTest {

  private static final Duration BOUND = Duration.ofSeconds(1);

  @Test
  void aRevocationReachesEveryNodeWithinOneSecond(EmbeddedPostgres postgres) throws Exception {
    DataSource database = freshSchema(postgres);
    KeyManager admin = new KeyManager(new JdbcKeyStore(postgres.getPostgresDatabase(), "admin"), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, Set.of("orders:read"), null);
    try (StoreKeyValidator nodeA = node(database, "node-a"); StoreKeyValidator nodeB = node(postgres.getPostgresDatabase(), "node-b")) {
      warm(nodeA, key.key());
      warm(nodeB, key.key());
      admin.revoke(key.record().keyId());
      long revokedAt = System.nanoTime();
      Duration delayA = timeUntil(nodeA, key.key(), InvalidReason.REVOKED, revokedAt);
      Duration delayB = timeUntil(nodeB, key.key(), InvalidReason.REVOKED, revokedAt);
      System.out.printf("Revocation reached node A after %d ms and node B after %d ms (bound %d ms)%n",
          delayA.toMillis(), delayB.toMillis(), BOUND.toMillis());
      assertTrue(delayA.compareTo(BOUND) < 0, "node A took " + delayA);
      assertTrue(delayB.compareTo(BOUND) < 0, "node B took " + delayB);
    }
  }

  @Test
  void disablingAPartnerReachesEveryNodeWithinOneSecond(EmbeddedPostgres postgres) throws Exception {
    DataSource database = freshSchema(postgres);
    KeyManager admin = new KeyManager(new JdbcKeyStore(database, "admin"), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator nodeA = node(database, "node-a"); StoreKeyValidator nodeB = node(database, "node-b")) {
      warm(nodeA, key.key());
      warm(nodeB, key.key());
      admin.disableOwner("acme");
      long disabledAt = System.nanoTime();
      Duration delayA = timeUntil(nodeA, key.key(), InvalidReason.DISABLED, disabledAt);
      Duration delayB = timeUntil(nodeB, key.key(), InvalidReason.DISABLED, disabledAt);
      System.out.printf("Disabling reached node A after %d ms and node B after %d ms (bound %d ms)%n",
          delayA.toMillis(), delayB.toMillis(), BOUND.toMillis());
      assertTrue(delayA.compareTo(BOUND) < 0, "node A took " + delayA);
      assertTrue(delayB.compareTo(BOUND) < 0, "node B took " + delayB);
    }
  }

  private static StoreKeyValidator node(DataSource database, String name) {
    return StoreKeyValidator.over(new JdbcKeyStore(database, name)).environment(Environment.SANDBOX).build();
  }

  private static void warm(StoreKeyValidator node, String key) throws KeyValidationException {
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(ValidationResult.Valid.class, node.validate(PresentedKey.of(key)));
    }
  }

  /** Validates every millisecond until the node refuses the key, for up to twice the bound. */
  private static Duration timeUntil(StoreKeyValidator node, String key, InvalidReason reason, long sinceNanos)
      throws Exception {
    Supplier<Duration> elapsed = () -> Duration.ofNanos(System.nanoTime() - sinceNanos);
    while (elapsed.get().compareTo(BOUND.multipliedBy(2)) < 0) {
      ValidationResult result = node.validate(PresentedKey.of(key));
      if (result instanceof ValidationResult.Invalid invalid) {
        assertEquals(reason, invalid.reason());
        return elapsed.get();
      }
      Thread.sleep(1);
    }
    return elapsed.get();
  }

  private static DataSource freshSchema(EmbeddedPostgres postgres) throws Exception {
    DataSource dataSource = postgres.getPostgresDatabase();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS nimbus_api_key, nimbus_api_key_owner, nimbus_api_key_revision");
    }
    return dataSource;
  }
}
