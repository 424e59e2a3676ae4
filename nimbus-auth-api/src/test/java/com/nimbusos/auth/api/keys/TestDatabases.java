package com.nimbusos.auth.api.keys;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Databases of their own on the embedded PostgreSQL, so that what one test leaves listening cannot
 * be taken for what another test counts or kills.
 */
final class TestDatabases {

  private static final String LISTENERS =
      "FROM pg_stat_activity WHERE datname = current_database()"
          + " AND query = 'LISTEN "
          + JdbcKeyStore.CHANNEL
          + "' AND pid <> pg_backend_pid()";

  private final EmbeddedPostgres postgres;
  private final String name;

  private TestDatabases(EmbeddedPostgres postgres, String name) {
    this.postgres = postgres;
    this.name = name;
  }

  /** Creates an empty database. */
  static TestDatabases create(EmbeddedPostgres postgres) throws SQLException {
    String name = "t" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return new TestDatabases(postgres, name);
  }

  /** A new data source on the database, as another node has its own. */
  DataSource dataSource() {
    return postgres.getDatabase("postgres", name);
  }

  /** How many connections listen on the store's channel now. */
  int listeners() throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) " + LISTENERS)) {
      row.next();
      return row.getInt(1);
    }
  }

  /** Waits up to 5 s until exactly {@code count} connections listen. */
  void awaitListeners(int count) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    int now;
    while ((now = listeners()) != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(now + " connections listen, expected " + count);
      }
      Thread.sleep(10);
    }
  }

  /**
   * Makes the database refuse new connections (and ends those it has, as a restart would), or
   * accept them again, as seen from every node: a real outage that ends when the test says.
   */
  void allowConnections(boolean allow) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allow);
      if (!allow) {
        statement
            .executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + name
                    + "'")
            .close();
      }
    }
  }

  /** Kills every listening connection, as a database restart or a network cut would. */
  void killListeners() throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeQuery("SELECT pg_terminate_backend(pid) " + LISTENERS).close();
    }
  }
}
