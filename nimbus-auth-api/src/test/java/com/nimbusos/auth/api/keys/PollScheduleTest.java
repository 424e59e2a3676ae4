package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The poll is the safety net for changes the store cannot push (H2, a lost PostgreSQL connection):
 * it must read the revision every interval whatever else is slow. Here the database is H2, which
 * has no notifications, and the change is made through a store of another name (another node's), so
 * only the poll can bring it.
 */
class PollScheduleTest {

  private static final Duration POLL = Duration.ofMillis(50);

  @Test
  void aLastUseWriteStuckBehindALockedRowDelaysNoPoll() throws Exception {
    JdbcDataSource database = h2();
    KeyManager admin = new KeyManager(new JdbcKeyStore(database, "admin"), KeyHasher.sha256());
    CreatedKey key = admin.create("acme", Environment.SANDBOX, Set.of(), null);
    try (StoreKeyValidator node =
            StoreKeyValidator.over(new JdbcKeyStore(database, "node"))
                .pollInterval(POLL)
                .maxStaleness(Duration.ofMinutes(1))
                .lastUsedFlushInterval(POLL)
                .build();
        Connection holder = database.getConnection()) {
      assertInstanceOf(
          ValidationResult.Valid.class,
          node.validate(PresentedKey.of(key.key()))); // a use to write
      holder.setAutoCommit(false);
      try (PreparedStatement lock =
          holder.prepareStatement("UPDATE nimbus_api_key SET last_used_at = 0 WHERE key_id = ?")) {
        lock.setString(1, key.record().keyId());
        assertEquals(1, lock.executeUpdate());
      }
      Thread.sleep(
          POLL.multipliedBy(4)
              .toMillis()); // the write of that use now waits for the row, 10 s at most
      admin.disableOwner("acme");
      long disabled = System.nanoTime();
      Duration delay = null;
      while (System.nanoTime() - disabled < 5_000_000_000L) {
        ValidationResult result = node.validate(PresentedKey.of(key.key()));
        if (result instanceof ValidationResult.Invalid invalid) {
          assertEquals(InvalidReason.DISABLED, invalid.reason());
          delay = Duration.ofNanos(System.nanoTime() - disabled);
          break;
        }
        Thread.sleep(1);
      }
      holder.rollback();
      assertTrue(
          delay != null && delay.compareTo(Duration.ofSeconds(1)) < 0,
          "the poll waited for the stuck write of last uses: " + delay);
      System.out.printf(
          "Disabled partner refused after %d ms while the last-use write was stuck (poll %d ms)%n",
          delay.toMillis(), POLL.toMillis());
    }
  }

  @Test
  void pollsStartEveryIntervalOnTheClockHoweverLongEachTakes() throws Exception {
    List<Long> pollStarts = new CopyOnWriteArrayList<>();
    // A connection that takes 40 ms to open for the poll, as one may on a loaded machine.
    DelegatingDataSource slow =
        new DelegatingDataSource(h2()) {
          @Override
          public Connection getConnection() throws SQLException {
            if (Thread.currentThread().getName().equals("nimbus-auth-key-sync")) {
              pollStarts.add(System.nanoTime());
              try {
                Thread.sleep(40);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
              }
            }
            return super.getConnection();
          }
        };
    try (StoreKeyValidator node =
        StoreKeyValidator.over(new JdbcKeyStore(slow, "node"))
            .pollInterval(POLL)
            .maxStaleness(Duration.ofMinutes(1))
            .build()) {
      Thread.sleep(1_500);
    }
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < pollStarts.size(); i++) {
      gaps.add((pollStarts.get(i) - pollStarts.get(i - 1)) / 1_000_000);
    }
    gaps.sort(null);
    assertTrue(gaps.size() >= 10, "polled " + pollStarts.size() + " times in 1.5 s");
    long median = gaps.get(gaps.size() / 2);
    // A fixed delay after each poll would make it 50 + 40 ms.
    assertTrue(
        median < 70,
        "median time between poll starts " + median + " ms, interval 50 ms; gaps " + gaps);
  }

  private static JdbcDataSource h2() {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    return database;
  }
}
