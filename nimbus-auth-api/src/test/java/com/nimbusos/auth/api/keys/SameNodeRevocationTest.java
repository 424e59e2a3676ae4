package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On one node, the application's own {@link KeyManager} and the validator built from configuration
 * hold separate store objects on the same storage; a revocation through one must still fail the
 * very next request, long before any poll (the poll is set to 10 minutes' staleness here to prove
 * it).
 */
class SameNodeRevocationTest {

  @TempDir Path dir;

  @Test
  void aRevocationThroughAnotherJdbcStoreObjectFailsTheVeryNextRequest() throws Exception {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    String jndiName = "java:comp/DefaultDataSource#" + UUID.randomUUID();
    assertRevokedOnNextRequest(
        new JdbcKeyStore(database, jndiName), new JdbcKeyStore(database, jndiName));
  }

  @Test
  void aRevocationThroughAnotherJsonStoreObjectFailsTheVeryNextRequest() throws Exception {
    Path file = dir.resolve("keys.json");
    assertRevokedOnNextRequest(JsonFileKeyStore.open(file), JsonFileKeyStore.open(file));
  }

  private static void assertRevokedOnNextRequest(KeyStore validatorStore, KeyStore managerStore)
      throws Exception {
    KeyManager manager = new KeyManager(managerStore, KeyHasher.sha256());
    CreatedKey key = manager.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator validator =
        StoreKeyValidator.over(validatorStore)
            .pollInterval(Duration.ofMinutes(5))
            .maxStaleness(Duration.ofMinutes(10))
            .build()) {
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      manager.revoke(key.record().keyId());
      assertEquals(
          ValidationResult.invalid(InvalidReason.REVOKED),
          validator.validate(PresentedKey.of(key.key())));
    }
  }
}
