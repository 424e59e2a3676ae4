package com.nimbusos.auth.api.audit.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the JDBC trail does, on each database it is tested on. */
abstract class JdbcAuditSinkContract {

  /** A database with no audit table yet. */
  protected abstract DataSource dataSource();

  private JdbcAuditSink sink(DataSource dataSource, String node) {
    return JdbcAuditSink.builder(dataSource, "test database", Trails.KEY)
        .node(node)
        .checkpointEvery(50, Duration.ofSeconds(10))
        .build();
  }

  @Test
  void writesEveryRecordOfConcurrentRequestsIntoTheNodesChain() throws Exception {
    try (JdbcAuditSink sink = sink(dataSource(), "web-1")) {
      runConcurrently(8, 50, (thread, i) -> sink.record(Trails.event("req_" + thread + "_" + i)));
    }
    TrailVerifier.Verification verification = Trails.VERIFIER.verifyTable(dataSource(), "web-1");
    assertTrue(verification.intact(), verification.toString());
    assertTrue(
        verification.summary().startsWith("400 records (seq 1–400), "), verification.summary());
    assertEquals(
        400,
        count(
            "SELECT COUNT(DISTINCT request_id) FROM nimbus_audit_record WHERE node_id = 'web-1'"));
    assertTrue(
        count(
                "SELECT COUNT(*) FROM nimbus_audit_record WHERE line LIKE '{\"checkpoint\":\"periodic\"%'")
            >= 1);
  }

  @Test
  void eachNodeKeepsItsOwnChain() throws Exception {
    try (JdbcAuditSink one = sink(dataSource(), "web-1");
        JdbcAuditSink two = sink(dataSource(), "web-2")) {
      runConcurrently(
          2,
          100,
          (thread, i) -> (thread == 0 ? one : two).record(Trails.event("req_" + thread + "_" + i)));
    }
    assertEquals(List.of("web-1", "web-2"), TrailVerifier.nodes(dataSource()));
    for (String node : List.of("web-1", "web-2")) {
      TrailVerifier.Verification verification = Trails.VERIFIER.verifyTable(dataSource(), node);
      assertTrue(verification.intact(), node + ": " + verification);
    }
  }

  @Test
  void aRestartContinuesTheNodesChainAndARunCutShortIsEndedWithARecoverCheckpoint()
      throws Exception {
    try (JdbcAuditSink sink = sink(dataSource(), "web-1")) {
      sink.record(Trails.event("req_1"));
    }
    try (JdbcAuditSink sink = sink(dataSource(), "web-1")) {
      sink.record(Trails.event("req_2"));
    }
    // What a killed node leaves: its run without the close checkpoint.
    update(
        "DELETE FROM nimbus_audit_record WHERE node_id = 'web-1' AND line_no = (SELECT MAX(line_no) FROM"
            + " nimbus_audit_record WHERE node_id = 'web-1')");
    assertFalse(
        Trails.VERIFIER.verifyTable(dataSource(), "web-1").intact(), "a run without its end");
    try (JdbcAuditSink sink = sink(dataSource(), "web-1")) {
      sink.record(Trails.event("req_3"));
    }
    TrailVerifier.Verification verification = Trails.VERIFIER.verifyTable(dataSource(), "web-1");
    assertTrue(verification.intact(), verification.toString());
    assertTrue(verification.summary().startsWith("3 records (seq 1–3), "), verification.summary());
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM nimbus_audit_record WHERE line LIKE '{\"checkpoint\":\"recover\"%'"));
  }

  @Test
  void catchesAnAlteredOrRemovedRow() throws Exception {
    try (JdbcAuditSink sink = sink(dataSource(), "web-1")) {
      for (int i = 1; i <= 10; i++) {
        sink.record(Trails.event("req_" + i));
      }
    }
    update(
        "UPDATE nimbus_audit_record SET line = REPLACE(line, '\"GET\"', '\"PUT\"') WHERE seq = 4");
    TrailVerifier.Verification altered = Trails.VERIFIER.verifyTable(dataSource(), "web-1");
    assertEquals("node web-1 line 5", altered.where());
    assertTrue(altered.problem().startsWith("seq 4 was altered"), altered.problem());

    update("DELETE FROM nimbus_audit_record WHERE seq = 4");
    TrailVerifier.Verification removed = Trails.VERIFIER.verifyTable(dataSource(), "web-1");
    assertEquals("node web-1 line 6", removed.where());
    assertTrue(
        removed.problem().startsWith("expected seq 4, found seq 5: record seq 4 was removed"),
        removed.problem());
  }

  @Test
  void refusesRecordsWhileTheDatabaseIsDownAndRecordsAgainOnceItIsUp() throws Exception {
    Switchable database = new Switchable(dataSource());
    try (JdbcAuditSink sink = sink(database, "web-1")) {
      sink.record(Trails.event("req_before"));
      database.down = true;
      AuditTrailUnavailableException refused =
          assertThrows(
              AuditTrailUnavailableException.class, () -> sink.record(Trails.event("req_refused")));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "the audit table nimbus_audit_record in test database cannot be written: "
                      + "connection refused"),
          refused.getMessage());
      database.down = false;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (true) {
        try {
          sink.record(Trails.event("req_after"));
          break;
        } catch (AuditTrailUnavailableException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
    TrailVerifier.Verification verification = Trails.VERIFIER.verifyTable(dataSource(), "web-1");
    assertTrue(verification.intact(), verification.toString());
    assertEquals(
        0, count("SELECT COUNT(*) FROM nimbus_audit_record WHERE request_id = 'req_refused'"));
    assertEquals(
        1, count("SELECT COUNT(*) FROM nimbus_audit_record WHERE request_id = 'req_after'"));
  }

  // --- helpers ---------------------------------------------------------------------------------

  @FunctionalInterface
  interface Work {
    void run(int thread, int i);
  }

  private static void runConcurrently(int threads, int each, Work work)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    work.run(thread, i);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      worker.start();
      started.add(worker);
    }
    start.countDown();
    for (Thread worker : started) {
      worker.join();
    }
    assertEquals(List.of(), failures);
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private void update(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  /** A database that can be taken down. */
  private static final class Switchable implements DataSource {
    private final DataSource database;
    volatile boolean down;

    Switchable(DataSource database) {
      this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (down) {
        throw new SQLException("connection refused");
      }
      return database.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
