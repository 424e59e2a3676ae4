package com.nimbusos.auth.api.keys;

import java.lang.System.Logger.Level;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Holds one connection of a {@link JdbcKeyStore}'s data source listening on {@link
 * JdbcKeyStore#CHANNEL}, and reports each change another node commits, so that its caches drop a
 * revoked key within milliseconds. On PostgreSQL only; on databases without notifications it logs
 * so and ends, leaving the poll alone. A lost connection (a database restart) is reconnected with
 * back-off; meanwhile the poll and the staleness bound apply as they always do. The loss is logged
 * once, with its cause, and the return once, with how long the notifications were gone: never a
 * line per attempt. The PostgreSQL driver is reached by reflection: the library keeps no dependency
 * on it.
 */
final class RevisionListener {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /** How long one wait for notifications lasts: also how long {@link #stop()} may take. */
  private static final int WAIT_MILLIS = 200;

  /**
   * How often a quiet connection is checked: a database that vanished without a word is noticed
   * then.
   */
  private static final long CHECK_NANOS = 5_000_000_000L;

  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 5_000;

  private final DataSource dataSource;
  private final String description;

  /**
   * Called with the committed revision, or {@code -1} when changes may have been missed (after a
   * reconnect).
   */
  private final LongConsumer onChange;

  private final Thread thread;
  private volatile boolean running = true;

  private RevisionListener(DataSource dataSource, String description, LongConsumer onChange) {
    this.dataSource = dataSource;
    this.description = description;
    this.onChange = onChange;
    this.thread = new Thread(this::run, "nimbus-auth-key-listen");
    thread.setDaemon(true);
  }

  /** Starts listening in the background; never blocks on the database. */
  static RevisionListener start(DataSource dataSource, String description, LongConsumer onChange) {
    RevisionListener listener = new RevisionListener(dataSource, description, onChange);
    listener.thread.start();
    return listener;
  }

  /**
   * Stops and gives the connection back, waiting at most a little longer than one wait for
   * notifications.
   */
  void stop() {
    running = false;
    thread.interrupt();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(4L * WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    long retryMillis = FIRST_RETRY_MILLIS;
    boolean everListened = false;
    Outage outage = new Outage();
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        String product = connection.getMetaData().getDatabaseProductName();
        if (!"PostgreSQL".equals(product)) {
          LOG.log(
              Level.INFO,
              "Nimbus Auth key store "
                  + description
                  + " is on "
                  + product
                  + ", which has no change notifications: changes made on other nodes are seen at the poll");
          return;
        }
        Notifications notifications = Notifications.of(connection);
        if (notifications == null) {
          LOG.log(
              Level.WARNING,
              "Nimbus Auth key store "
                  + description
                  + ": the PostgreSQL driver's PGConnection"
                  + " cannot be reached through "
                  + connection.getClass().getName()
                  + "; changes made on other nodes are seen at the poll");
          return;
        }
        connection.setAutoCommit(true);
        listen(connection);
        String gone = outage.recovered();
        LOG.log(
            Level.INFO,
            "Nimbus Auth key store "
                + description
                + " listens"
                + (gone == null
                    ? ""
                    : " again, after its notifications were gone for " + gone + ",")
                + " on PostgreSQL channel "
                + JdbcKeyStore.CHANNEL
                + "; the poll stays as a safety net");
        retryMillis = FIRST_RETRY_MILLIS;
        if (everListened) {
          // What was committed while the connection was down went unheard: caches start over.
          // (Before the
          // first LISTEN, the validator had just started and read the store; its poll covers that
          // moment.)
          onChange.accept(-1);
        }
        everListened = true;
        long lastCheck = System.nanoTime();
        while (running) {
          long revision = notifications.await(WAIT_MILLIS);
          if (revision != Long.MIN_VALUE) {
            onChange.accept(revision);
          } else if (System.nanoTime() - lastCheck > CHECK_NANOS) {
            listen(connection); // a round trip: a dead connection throws here
            lastCheck = System.nanoTime();
          }
        }
        // A pool keeps the session: a connection still listening would queue notifications nobody
        // reads.
        try (Statement statement = connection.createStatement()) {
          statement.execute("UNLISTEN " + JdbcKeyStore.CHANNEL);
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (outage.failed()) {
          LOG.log(
              Level.WARNING,
              "Nimbus Auth key store "
                  + description
                  + (everListened ? " lost" : " cannot open")
                  + " its change notifications ("
                  + e.getMessage()
                  + "); retrying with back-off, logged once more when"
                  + " they are back. Meanwhile changes made on other nodes are seen at the poll, and requests fail"
                  + " closed if the database stays down");
        }
        try {
          Thread.sleep(retryMillis);
        } catch (InterruptedException stop) {
          return;
        }
        retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
      }
    }
  }

  private static void listen(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + JdbcKeyStore.CHANNEL);
    }
  }

  /** {@code PGConnection.getNotifications(int)} of the connection, called by reflection. */
  private static final class Notifications {
    private final Object pgConnection;
    private final Method getNotifications;
    private final Method getParameter;

    private Notifications(Object pgConnection, Method getNotifications, Method getParameter) {
      this.pgConnection = pgConnection;
      this.getNotifications = getNotifications;
      this.getParameter = getParameter;
    }

    /**
     * Finds {@code org.postgresql.PGConnection} where the driver lives: a pool's wrapper class may
     * come from a loader that cannot see it, the physical connection's class does.
     */
    static Notifications of(Connection connection) throws SQLException {
      Set<ClassLoader> loaders = new LinkedHashSet<>();
      loaders.add(connection.getClass().getClassLoader());
      Connection physical = connection.getMetaData().getConnection();
      if (physical != null) {
        loaders.add(physical.getClass().getClassLoader());
      }
      loaders.add(Thread.currentThread().getContextClassLoader());
      loaders.add(RevisionListener.class.getClassLoader());
      for (ClassLoader loader : loaders) {
        try {
          Class<?> type = Class.forName("org.postgresql.PGConnection", false, loader);
          if (connection.isWrapperFor(type)) {
            Class<?> notification = Class.forName("org.postgresql.PGNotification", false, loader);
            return new Notifications(
                connection.unwrap(type),
                type.getMethod("getNotifications", int.class),
                notification.getMethod("getParameter"));
          }
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
          // not visible from this loader: try the next
        }
      }
      return null;
    }

    /**
     * Waits up to {@code millis} for notifications; the highest revision announced, or MIN_VALUE
     * for none.
     */
    long await(int millis) throws SQLException {
      Object batch;
      try {
        batch = getNotifications.invoke(pgConnection, millis);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw new SQLException(
            "PGConnection.getNotifications failed: " + e.getCause(), e.getCause());
      } catch (IllegalAccessException e) {
        throw new SQLException("PGConnection.getNotifications is not accessible", e);
      }
      int count = batch == null ? 0 : Array.getLength(batch);
      long highest = Long.MIN_VALUE;
      for (int i = 0; i < count; i++) {
        highest = Math.max(highest, revision(Array.get(batch, i)));
      }
      return highest;
    }

    private long revision(Object notification) {
      try {
        return Long.parseLong((String) getParameter.invoke(notification));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1; // a notification from someone else's NOTIFY: a change all the same
      }
    }
  }
}
