package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.LoggedRecords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key store that goes down is logged once when the outage begins (a warning with its cause) and
 * once when it ends (with how long it lasted), however many polls and reconnections fail in
 * between: at a 250 ms poll a minute's outage would otherwise be 240 warnings. Real stores are
 * broken here, not mocks: the JSON file replaced by a directory, a PostgreSQL database that refuses
 * connections.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class StoreOutageLogTest {

  private static final Duration POLL = Duration.ofMillis(20);

  /** At this poll, how long an outage lasts here: some fifty failed polls. */
  private static final Duration OUTAGE = Duration.ofMillis(1_000);

  @TempDir Path dir;

  @RegisterExtension final LoggedRecords log = new LoggedRecords();

  @Test
  void aJsonFileThatCannotBeReadIsLoggedOnceWhenItGoesAndOnceWhenItComesBack() throws Exception {
    Path file = dir.resolve("keys.json");
    CreatedKey key =
        new KeyManager(JsonFileKeyStore.open(file), KeyHasher.sha256())
            .create("acme", Environment.SANDBOX, Set.of(), null);
    JsonFileKeyStore store = JsonFileKeyStore.open(file);
    String name = store.toString();
    try (StoreKeyValidator validator = node(store)) {
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      Path aside = dir.resolve("keys.json.aside");
      Files.move(file, aside);
      Files.createDirectory(file); // unreadable as a file, even by root
      Thread.sleep(OUTAGE.toMillis());
      assertThrows(
          KeyValidationException.class,
          () -> validator.validate(PresentedKey.of(key.key())),
          "requests fail closed while the store cannot be read");
      Files.delete(file);
      Files.move(aside, file);
      awaitLogged(about(name, "again"));
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
    }
    LogRecord down = only(about(name, "cannot poll"), Level.WARNING);
    assertTrue(down.getMessage().contains("cannot read " + file), "says why: " + down.getMessage());
    assertNotNull(down.getThrown(), "carries its cause");
    LogRecord up = only(about(name, "polls its key store"), Level.INFO);
    assertTrue(
        up.getMessage().matches(".*after an outage of \\d+\\.\\d s, \\d+ failed attempts"),
        up.getMessage());
    assertTrue(failedAttempts(up) >= 10, "the outage spanned many polls: " + up.getMessage());
    assertEquals(
        2,
        log.all().stream().filter(about(name, "")).count(),
        "nothing else logged: " + messages());
  }

  @Test
  void aDatabaseThatRefusesConnectionsIsLoggedOnceByThePollAndOnceByTheListenerEachWay(
      EmbeddedPostgres postgres) throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    String name = "node-" + UUID.randomUUID();
    JdbcKeyStore store = new JdbcKeyStore(database.dataSource(), name);
    CreatedKey key =
        new KeyManager(new JdbcKeyStore(database.dataSource(), "admin"), KeyHasher.sha256())
            .create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator validator = node(store)) {
      database.awaitListeners(1);
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
      database.allowConnections(false); // and ends the ones there are, the listener's among them
      Thread.sleep(OUTAGE.toMillis()); // the listener retries after 100, 200, 400 ms, …
      assertThrows(
          KeyValidationException.class,
          () -> validator.validate(PresentedKey.of(key.key())),
          "requests fail closed while the database refuses connections");
      database.allowConnections(true);
      awaitLogged(about(name, "polls its key store"));
      awaitLogged(about(name, "listens again"));
      database.awaitListeners(1);
      assertInstanceOf(
          ValidationResult.Valid.class, validator.validate(PresentedKey.of(key.key())));
    }
    LogRecord pollDown = only(about(name, "cannot poll"), Level.WARNING);
    assertTrue(
        pollDown.getMessage().contains("not currently accepting connections"),
        pollDown.getMessage());
    assertNotNull(pollDown.getThrown(), "carries its cause");
    LogRecord pollUp = only(about(name, "polls its key store"), Level.INFO);
    assertTrue(
        failedAttempts(pollUp) >= 10, "the outage spanned many polls: " + pollUp.getMessage());
    LogRecord listenDown = only(about(name, "lost its change notifications"), Level.WARNING);
    assertTrue(
        listenDown.getMessage().contains("terminat")
            || listenDown.getMessage().contains("connection"),
        "says why: " + listenDown.getMessage());
    LogRecord listenUp = only(about(name, "listens again"), Level.INFO);
    assertTrue(
        failedAttempts(listenUp) >= 3,
        "reconnection was tried several times: " + listenUp.getMessage());
    assertEquals(
        1,
        log.all().stream().filter(about(name, "listens on")).count(),
        "the first LISTEN: " + messages());
    assertEquals(
        5,
        log.all().stream().filter(about(name, "")).count(),
        "nothing else logged: " + messages());
  }

  private static StoreKeyValidator node(KeyStore store) {
    return StoreKeyValidator.over(store)
        .pollInterval(POLL)
        .maxStaleness(POLL.multipliedBy(5))
        .build();
  }

  /**
   * The records naming {@code store} (its name, or its file's) whose message contains {@code text}.
   */
  private static Predicate<LogRecord> about(String store, String text) {
    return record -> record.getMessage().contains(store) && record.getMessage().contains(text);
  }

  private LogRecord only(Predicate<LogRecord> which, Level level) {
    List<LogRecord> found = log.all().stream().filter(which).toList();
    assertEquals(1, found.size(), "logged once: " + messages());
    assertEquals(level, found.get(0).getLevel(), found.get(0).getMessage());
    return found.get(0);
  }

  private void awaitLogged(Predicate<LogRecord> which) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (log.all().stream().noneMatch(which)) {
      assertTrue(System.nanoTime() < deadline, "not logged within 10 s: " + messages());
      Thread.sleep(5);
    }
  }

  private static long failedAttempts(LogRecord record) {
    java.util.regex.Matcher count =
        java.util.regex.Pattern.compile("(\\d+) failed attempt").matcher(record.getMessage());
    assertTrue(count.find(), record.getMessage());
    return Long.parseLong(count.group(1));
  }

  private String messages() {
    return log.all().stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString();
  }
}
