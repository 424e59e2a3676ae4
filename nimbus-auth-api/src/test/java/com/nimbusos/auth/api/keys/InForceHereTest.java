package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyManager#awaitInForceHere}: "revoked, and in force on this node". Validators poll every
 * 10 minutes here, so only a push, or nothing, can bring a change to them during a test.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class InForceHereTest {

  private static final Duration NEVER = Duration.ofMinutes(10);

  @TempDir Path dir;

  @Test
  void waitsUntilTheValidatorsHereHeardOfTheChangeFromTheDatabase(EmbeddedPostgres postgres)
      throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    KeyManager admin =
        new KeyManager(new JdbcKeyStore(database.dataSource(), "admin tool"), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator validator =
        validator(new JdbcKeyStore(database.dataSource(), "the application's"))) {
      database.awaitListeners(1);
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      admin.revoke(key.record().keyId());
      assertTrue(admin.awaitInForceHere(Duration.ofSeconds(5)));
      assertEquals(
          ValidationResult.invalid(InvalidReason.REVOKED),
          validator.validate(PresentedKey.of(key.key())));
    }
  }

  @Test
  void saysSoWhenAValidatorHereCannotHaveHeardYet() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    KeyManager admin = new KeyManager(new JdbcKeyStore(h2, "admin tool"), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator validator = validator(new JdbcKeyStore(h2, "the application's"))) {
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      admin.revoke(key.record().keyId());
      assertFalse(
          admin.awaitInForceHere(Duration.ofMillis(200)),
          "H2 pushes nothing: the validator holds its cache");
      assertInstanceOf(
          ValidationResult.Valid.class,
          validator.validate(PresentedKey.of(key.key())),
          "and that is the truth: the key still passes here until the next poll");
    }
  }

  @Test
  void isInForceAtOnceWhereStoresOfOneFileTellEachOther() throws Exception {
    Path file = dir.resolve("keys.json");
    KeyManager admin = new KeyManager(JsonFileKeyStore.open(file), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator validator = validator(JsonFileKeyStore.open(file))) {
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      admin.disableOwner("acme");
      assertTrue(admin.awaitInForceHere(Duration.ZERO));
      assertEquals(
          ValidationResult.invalid(InvalidReason.DISABLED),
          validator.validate(PresentedKey.of(key.key())));
    }
  }

  @Test
  void waitsForNoValidatorOfAnotherStorage() throws Exception {
    KeyManager other =
        new KeyManager(JsonFileKeyStore.open(dir.resolve("other.json")), KeyHasher.sha256());
    CreatedKey key = other.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator elsewhere =
        validator(JsonFileKeyStore.open(dir.resolve("other.json")))) {
      assertInstanceOf(
          ValidationResult.Valid.class, elsewhere.validate(PresentedKey.of(key.key())));
      KeyManager admin =
          new KeyManager(JsonFileKeyStore.open(dir.resolve("keys.json")), KeyHasher.sha256());
      admin.create("globex", Environment.SANDBOX, Set.of(), null);
      assertTrue(admin.awaitInForceHere(Duration.ZERO));
    }
  }

  @Test
  void waitsForNoValidatorOfAnotherDatabase() throws Exception {
    JdbcDataSource other = new JdbcDataSource();
    other.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    KeyManager elsewhere =
        new KeyManager(new JdbcKeyStore(other, "other database"), KeyHasher.sha256());
    CreatedKey key = elsewhere.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator stale = validator(new JdbcKeyStore(other, "the other application's"))) {
      assertInstanceOf(ValidationResult.Valid.class, stale.validate(PresentedKey.of(key.key())));
      JdbcDataSource mine = new JdbcDataSource();
      mine.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      KeyManager admin = new KeyManager(new JdbcKeyStore(mine, "admin tool"), KeyHasher.sha256());
      admin.create("globex", Environment.SANDBOX, Set.of(), null);
      assertTrue(
          admin.awaitInForceHere(Duration.ZERO),
          "a validator on another database is none of its business");
    }
  }

  private static StoreKeyValidator validator(KeyStore store) {
    return StoreKeyValidator.over(store)
        .pollInterval(NEVER)
        .maxStaleness(NEVER.multipliedBy(2))
        .build();
  }
}
