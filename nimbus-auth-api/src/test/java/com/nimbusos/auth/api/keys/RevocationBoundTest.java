package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.contract.DelegatingDataSource;
import com.nimbusos.auth.contract.TrialSet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published revocation bounds, measured: a key in use is revoked while clients hammer it, and
 * each trial records the time from the revocation's return to the end of the last request still
 * allowed. Validators poll only every 10 s in the push trials, so only push can explain a delay
 * under the hard bound; the sets print median, p99 and max with the CPU steal of the machine
 * meanwhile (see {@link TrialSet}).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class RevocationBoundTest {

  private static final Duration NO_POLL = Duration.ofSeconds(10);
  private static final Duration MARGIN = Duration.ofMillis(20);

  @TempDir Path dir;

  /** The JSON store, revoked by the admin CLI's code in another JVM: p100 ≤ 20 ms. */
  @Test
  void jsonStoreRevokedByAnotherProcess() throws Exception {
    int trials = TrialSet.trials(120);
    Path file = dir.resolve("keys.json");
    List<CreatedKey> keys = createKeys(JsonFileKeyStore.open(file), trials);
    Process admin =
        java(com.nimbusos.auth.api.cli.RevokingAdmin.class.getName(), "json-file:" + file);
    try (StoreKeyValidator node = node(JsonFileKeyStore.open(file), NO_POLL);
        PrintWriter toAdmin =
            new PrintWriter(admin.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromAdmin =
            new BufferedReader(
                new InputStreamReader(admin.getInputStream(), StandardCharsets.UTF_8))) {
      TrialSet set = new TrialSet("JSON file store, revoked by another process");
      for (CreatedKey key : keys) {
        try (Hammer hammer = new Hammer(List.of(node), key.key(), InvalidReason.REVOKED)) {
          hammer.awaitAllowedEverywhere(Duration.ofSeconds(5));
          long sent = System.nanoTime();
          toAdmin.println(key.record().keyId());
          String answer = fromAdmin.readLine();
          long received = System.nanoTime();
          long returned = Long.parseLong(String.valueOf(answer));
          assertTrue(
              sent <= returned && returned <= received,
              "the processes share no monotonic clock: " + answer);
          hammer.awaitRefusedEverywhere(Duration.ofSeconds(5), MARGIN);
          assertNull(hammer.surprise());
          set.add(hammer.lastAllowedEnd(0) - returned, parts(node, hammer, 0, returned));
        }
      }
      set.check(null, Duration.ofMillis(20), Duration.ofMillis(500));
    } finally {
      admin.getOutputStream().close();
      if (!admin.waitFor(10, TimeUnit.SECONDS)) {
        admin.destroyForcibly();
      }
    }
  }

  /**
   * The JSON store, revoked by {@code java … KeyAdmin revoke} as an administrator types it, a fresh
   * JVM each time, from the moment that command has exited: fewer trials, a JVM start each.
   */
  @Test
  void jsonStoreRevokedByTheCommandLine() throws Exception {
    int trials = TrialSet.trials(120) / 10;
    Path file = dir.resolve("keys.json");
    List<CreatedKey> keys = createKeys(JsonFileKeyStore.open(file), trials);
    try (StoreKeyValidator node = node(JsonFileKeyStore.open(file), NO_POLL)) {
      TrialSet set = new TrialSet("JSON file store, revoked by the KeyAdmin command, a JVM each");
      for (CreatedKey key : keys) {
        try (Hammer hammer = new Hammer(List.of(node), key.key(), InvalidReason.REVOKED)) {
          hammer.awaitAllowedEverywhere(Duration.ofSeconds(5));
          Process cli =
              java(
                  com.nimbusos.auth.api.cli.KeyAdmin.class.getName(),
                  "revoke",
                  "--store",
                  "json-file:" + file,
                  "--key-id",
                  key.record().keyId());
          assertEquals(0, cli.waitFor(), "KeyAdmin revoke failed");
          long returned = System.nanoTime();
          hammer.awaitRefusedEverywhere(Duration.ofSeconds(5), MARGIN);
          assertNull(hammer.surprise());
          set.add(hammer.lastAllowedEnd(0) - returned, parts(node, hammer, 0, returned));
        }
      }
      set.check(null, Duration.ofMillis(20), Duration.ofMillis(500));
    }
  }

  /**
   * Two nodes on one PostgreSQL, revoked through a third connection: p99 ≤ 50 ms, p100 ≤ 250 ms.
   */
  @Test
  void twoNodesOnPostgresql(EmbeddedPostgres postgres) throws Exception {
    int trials = TrialSet.trials(120);
    TestDatabases database = TestDatabases.create(postgres);
    KeyManager admin =
        new KeyManager(new JdbcKeyStore(database.dataSource(), "admin"), KeyHasher.sha256());
    List<CreatedKey> keys = createKeys(admin, trials);
    try (StoreKeyValidator nodeA =
            node(new JdbcKeyStore(database.dataSource(), "node-a"), NO_POLL);
        StoreKeyValidator nodeB =
            node(new JdbcKeyStore(database.dataSource(), "node-b"), NO_POLL)) {
      database.awaitListeners(2);
      TrialSet set = new TrialSet("two nodes on PostgreSQL, push");
      for (CreatedKey key : keys) {
        revokeWhileHammered(admin, key, List.of(nodeA, nodeB), Duration.ZERO, null, set);
      }
      set.check(Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofMillis(500));
    }
  }

  /**
   * Two nodes on one PostgreSQL whose listening connections were killed and cannot come back: the
   * poll alone, every 100 ms here ({@code -Dnimbus.revocation.broken-poll-millis=250} for the
   * default), bounds every revocation's delay by the poll interval plus one poll (taken as one
   * interval; a trial in which a poll's connection alone took longer, as a loaded machine can make
   * it, is allowed the difference, measured through the data source). Polls start on the clock, not
   * a fixed delay after the one before, and wait behind no write of last uses, so that a slow poll
   * (a connection opened on a loaded machine) does not push the next one back.
   */
  @Test
  void twoNodesOnPostgresqlWithNotificationsBroken(EmbeddedPostgres postgres) throws Exception {
    int trials = TrialSet.trials(120);
    Duration poll =
        Duration.ofMillis(Integer.getInteger("nimbus.revocation.broken-poll-millis", 100));
    TestDatabases database = TestDatabases.create(postgres);
    KeyManager admin =
        new KeyManager(new JdbcKeyStore(database.dataSource(), "admin"), KeyHasher.sha256());
    List<CreatedKey> keys = createKeys(admin, trials);
    ListenRefusingDataSource broken = new ListenRefusingDataSource(database.dataSource());
    try (StoreKeyValidator nodeA = node(new JdbcKeyStore(broken, "node-a"), poll);
        StoreKeyValidator nodeB = node(new JdbcKeyStore(broken, "node-b"), poll)) {
      database.awaitListeners(2);
      broken.refusing = true;
      database.killListeners();
      database.awaitListeners(0);
      TrialSet set =
          new TrialSet(
              "two nodes on PostgreSQL, notifications broken, poll " + poll.toMillis() + " ms");
      for (CreatedKey key : keys) {
        revokeWhileHammered(admin, key, List.of(nodeA, nodeB), poll, broken, set);
      }
      set.check(null, poll.multipliedBy(2), poll.multipliedBy(4));
      assertEquals(0, database.listeners(), "the listeners stayed down throughout");
    }
  }

  /**
   * Revokes {@code key} while every node is hammered with it; adds the delay until the last node
   * refused it to {@code set}.
   *
   * @param phase the revocation comes at a random moment within it: trials that follow one another
   *     at a fixed pace would otherwise revoke at the same point of the poll's cycle every time,
   *     and never try the worst
   */
  private static void revokeWhileHammered(
      KeyManager admin,
      CreatedKey key,
      List<StoreKeyValidator> nodes,
      Duration phase,
      ListenRefusingDataSource polled,
      TrialSet set)
      throws Exception {
    try (Hammer hammer = new Hammer(nodes, key.key(), InvalidReason.REVOKED)) {
      hammer.awaitAllowedEverywhere(Duration.ofSeconds(5));
      if (!phase.isZero()) {
        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(phase.toMillis()));
      }
      if (polled != null) {
        polled.slowestPollConnect.set(0);
      }
      admin.revoke(key.record().keyId());
      long returned = System.nanoTime();
      hammer.awaitRefusedEverywhere(Duration.ofSeconds(5), MARGIN);
      assertNull(hammer.surprise());
      long delay = 0;
      int slowest = 0;
      for (int node = 0; node < nodes.size(); node++) {
        if (hammer.lastAllowedEnd(node) - returned > delay) {
          delay = hammer.lastAllowedEnd(node) - returned;
          slowest = node;
        }
      }
      String parts = parts(nodes.get(slowest), hammer, slowest, returned);
      long allowance = 0;
      if (polled != null) {
        long connect = polled.slowestPollConnect.get();
        parts +=
            String.format(
                java.util.Locale.ROOT,
                "; the slowest connection a poll opened meanwhile took %.2f ms",
                connect / 1e6);
        // The bound is the interval plus one poll, taken to last at most an interval: a poll
        // whose connection alone took longer stretches it by the difference.
        allowance = connect - phase.toNanos();
      }
      set.add(delay, parts, allowance);
    }
  }

  /**
   * What a trial's delay on {@code node} was made of: when the node dropped its caches (push or
   * poll), and when its last allowed request began and ended, each after the change returned.
   */
  private static String parts(StoreKeyValidator node, Hammer hammer, int index, long returned) {
    return String.format(
        java.util.Locale.ROOT,
        "node %d dropped its caches at %+.2f ms, its last allowed request ran %+.2f to %+.2f ms",
        index,
        (node.droppedNanos() - returned) / 1e6,
        (hammer.lastAllowedStart(index) - returned) / 1e6,
        (hammer.lastAllowedEnd(index) - returned) / 1e6);
  }

  static StoreKeyValidator node(KeyStore store, Duration poll) {
    return StoreKeyValidator.over(store)
        .environment(Environment.SANDBOX)
        .pollInterval(poll)
        .maxStaleness(poll.multipliedBy(10))
        .build();
  }

  private static List<CreatedKey> createKeys(KeyStore store, int count) throws KeyStoreException {
    return createKeys(new KeyManager(store, KeyHasher.sha256()), count);
  }

  private static List<CreatedKey> createKeys(KeyManager manager, int count)
      throws KeyStoreException {
    List<CreatedKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(manager.create("acme", Environment.SANDBOX, Set.of("orders:read"), null));
    }
    return keys;
  }

  /** Starts {@code main} in another JVM on this test's class path. */
  private static Process java(String main, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /**
   * The data source of a node whose notifications are broken: once {@link #refusing}, every {@code
   * LISTEN} fails, so a killed listening connection cannot come back, while queries work on.
   */
  static final class ListenRefusingDataSource extends DelegatingDataSource {
    volatile boolean refusing;

    /**
     * How long the slowest connection a poll thread opened took, in nanoseconds: what a poll costs
     * here.
     */
    final java.util.concurrent.atomic.AtomicLong slowestPollConnect =
        new java.util.concurrent.atomic.AtomicLong();

    ListenRefusingDataSource(DataSource delegate) {
      super(delegate);
    }

    @Override
    public Connection getConnection() throws SQLException {
      long start = System.nanoTime();
      Connection connection = super.getConnection();
      if (Thread.currentThread().getName().equals("nimbus-auth-key-sync")) {
        slowestPollConnect.accumulateAndGet(System.nanoTime() - start, Math::max);
      }
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              forward(
                  connection,
                  (method, args) -> {
                    if (method.getName().equals("createStatement")) {
                      Statement statement = (Statement) method.invoke(connection, args);
                      return Proxy.newProxyInstance(
                          getClass().getClassLoader(),
                          new Class<?>[] {Statement.class},
                          forward(
                              statement,
                              (inner, innerArgs) -> {
                                if (refusing
                                    && inner.getName().equals("execute")
                                    && String.valueOf(innerArgs[0]).startsWith("LISTEN")) {
                                  throw new SQLException("LISTEN refused by the test");
                                }
                                return inner.invoke(statement, innerArgs);
                              }));
                    }
                    return method.invoke(connection, args);
                  }));
    }
  }

  @FunctionalInterface
  interface Call {
    Object call(java.lang.reflect.Method method, Object[] args) throws Throwable;
  }

  private static InvocationHandler forward(Object target, Call call) {
    return (proxy, method, args) -> {
      try {
        return call.call(method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
  }
}
