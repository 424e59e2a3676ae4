package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.DelegatingDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JDBC store's push: on PostgreSQL a change committed through one store object reaches the
 * listeners of another, unrelated one (another node) without any poll; on H2 nothing listens.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class JdbcKeyStoreNotificationTest {

  @Test
  void aChangeCommittedOnAnotherNodeReachesListenersWithoutAnyoneAsking(EmbeddedPostgres postgres)
      throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    JdbcKeyStore admin = new JdbcKeyStore(database.dataSource(), "admin");
    JdbcKeyStore node = new JdbcKeyStore(database.dataSource(), "node");
    admin.insert(KeyStoreContract.record("key_1", "sk_test_one"));
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    node.addChangeListener(listener);
    try {
      database.awaitListeners(1);
      admin.update(KeyStoreContract.record("key_1", "sk_test_one").revoked(Instant.EPOCH));
      awaitTold(told, 1);
      admin.setOwnerDisabled("acme", true);
      awaitTold(told, 2);
    } finally {
      node.removeChangeListener(listener);
    }
  }

  @Test
  void announcesInTheChangesTransactionSoThatOneRolledBackAnnouncesNothing(
      EmbeddedPostgres postgres) throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    CommitFailingDataSource failing = new CommitFailingDataSource(database.dataSource());
    JdbcKeyStore admin = new JdbcKeyStore(failing, "admin");
    JdbcKeyStore node = new JdbcKeyStore(database.dataSource(), "node");
    admin.insert(KeyStoreContract.record("key_1", "sk_test_one"));
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    node.addChangeListener(listener);
    try {
      database.awaitListeners(1);
      failing.failNextCommit =
          true; // everything done, the notification queued: then the commit fails
      assertThrows(KeyStoreException.class, () -> admin.setOwnerDisabled("acme", true));
      Thread.sleep(300);
      assertEquals(0, told.get(), "nothing announced for a change that was rolled back");
      assertEquals(Set.of(), node.disabledOwners());
      admin.setOwnerDisabled("acme", true);
      awaitTold(told, 1);
    } finally {
      node.removeChangeListener(listener);
    }
  }

  @Test
  void listensAgainAfterItsConnectionIsKilledAndTellsListenersTheyMayHaveMissedAChange(
      EmbeddedPostgres postgres) throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    JdbcKeyStore admin = new JdbcKeyStore(database.dataSource(), "admin");
    JdbcKeyStore node = new JdbcKeyStore(database.dataSource(), "node");
    admin.insert(KeyStoreContract.record("key_1", "sk_test_one"));
    AtomicInteger told = new AtomicInteger();
    Runnable listener = told::incrementAndGet;
    node.addChangeListener(listener);
    try {
      database.awaitListeners(1);
      database.killListeners();
      awaitTold(told, 1); // back, and unsure what it missed
      database.awaitListeners(1);
      admin.setOwnerDisabled("acme", true);
      awaitTold(told, 2);
    } finally {
      node.removeChangeListener(listener);
    }
  }

  @Test
  void givesItsConnectionBackWhenTheLastListenerGoes(EmbeddedPostgres postgres) throws Exception {
    TestDatabases database = TestDatabases.create(postgres);
    JdbcKeyStore node = new JdbcKeyStore(database.dataSource(), "node");
    Runnable first = () -> {};
    Runnable second = () -> {};
    node.addChangeListener(first);
    node.addChangeListener(second);
    database.awaitListeners(1);
    node.removeChangeListener(first);
    Thread.sleep(300);
    assertEquals(1, database.listeners(), "still listening for the listener left");
    node.removeChangeListener(second);
    assertEquals(
        0,
        database.listeners(),
        "the connection is closed by the time the last listener is removed");
  }

  @Test
  void onH2NothingListens() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    JdbcKeyStore store = new JdbcKeyStore(h2, "h2");
    Set<Thread> before = listenThreads();
    Runnable listener = () -> {};
    store.addChangeListener(listener);
    try {
      long deadline = System.nanoTime() + 2_000_000_000L;
      Set<Thread> started;
      do {
        Thread.sleep(10);
        started = listenThreads();
        started.removeAll(before);
      } while (!started.isEmpty() && System.nanoTime() < deadline);
      assertEquals(Set.of(), started, "no thread listens on H2, which has no notifications");
    } finally {
      store.removeChangeListener(listener);
    }
  }

  /** A database whose next commit fails, after all the transaction's statements ran. */
  static final class CommitFailingDataSource extends DelegatingDataSource {
    volatile boolean failNextCommit;

    CommitFailingDataSource(javax.sql.DataSource delegate) {
      super(delegate);
    }

    @Override
    public java.sql.Connection getConnection() throws java.sql.SQLException {
      java.sql.Connection connection = super.getConnection();
      return (java.sql.Connection)
          java.lang.reflect.Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {java.sql.Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("commit") && failNextCommit) {
                  failNextCommit = false;
                  throw new java.sql.SQLException("commit failed (test)");
                }
                try {
                  return method.invoke(connection, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  private static Set<Thread> listenThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("nimbus-auth-key-listen")) {
        threads.add(thread);
      }
    }
    return threads;
  }

  private static void awaitTold(AtomicInteger told, int times) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (told.get() < times && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertTrue(
        told.get() >= times,
        "told " + told.get() + " times within 2 s, expected " + times + ", with nothing polling");
  }
}
