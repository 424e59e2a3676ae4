package com.nimbusos.auth.api.audit.trail;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The JDBC trail's writer thread: takes every record waiting, seals them into this node's chain,
 * inserts them in one transaction and lets their requests go (group commit). It keeps no state the
 * table does not have: after any failure it reads the node's last row again before it writes, so
 * that a commit whose answer was lost cannot fork the chain.
 */
final class TableWriter {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth.audit.trail");
  private static final int BATCH = 512;
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final DataSource dataSource;
  private final String description;
  private final String node;
  private final Chain chain;
  private final int checkpointRecords;
  private final Duration checkpointInterval;
  private final BlockingQueue<JdbcAuditSink.Pending> queue;
  private final Clock clock = Clock.systemUTC();
  private final Thread thread;
  private volatile boolean stopping;

  // the writer thread's own
  private boolean schemaReady;
  private boolean ready;
  private boolean runOpened;
  private String notReady;
  private long nextAttempt;
  private long nextLine;
  private long nextSeq;
  private long eventsSinceCheckpoint;
  private long lastCheckpointNanos = System.nanoTime();

  TableWriter(
      DataSource dataSource,
      String description,
      String node,
      byte[] key,
      int checkpointRecords,
      Duration checkpointInterval,
      BlockingQueue<JdbcAuditSink.Pending> queue) {
    this.dataSource = dataSource;
    this.description = description;
    this.node = node;
    this.chain = new Chain(key, Chain.GENESIS);
    this.checkpointRecords = checkpointRecords;
    this.checkpointInterval = checkpointInterval;
    this.queue = queue;
    this.thread = new Thread(this::run, "nimbus-audit-jdbc " + node);
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    thread.start();
  }

  String description() {
    return description;
  }

  String node() {
    return node;
  }

  void close() {
    stopping = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** This host's name, as a node name. */
  static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      name = System.getenv("HOSTNAME");
    }
    name = name == null || name.isBlank() ? "node" : name.replaceAll("[^A-Za-z0-9._-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private void run() {
    long poll = Math.min(200, checkpointInterval.toMillis());
    while (true) {
      List<JdbcAuditSink.Pending> batch = new ArrayList<>();
      try {
        JdbcAuditSink.Pending first = queue.poll(poll, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        } else if (stopping) {
          closeRun();
          return;
        }
        if (!ready && System.nanoTime() - nextAttempt >= 0) {
          prepare();
        }
        if (!ready) {
          AuditTrailUnavailableException refused = new AuditTrailUnavailableException(notReady);
          batch.forEach(pending -> pending.failed(refused));
          continue;
        }
        boolean checkpoint =
            eventsSinceCheckpoint + batch.size() >= checkpointRecords
                || eventsSinceCheckpoint + batch.size() > 0
                    && System.nanoTime() - lastCheckpointNanos >= checkpointInterval.toNanos();
        if (!batch.isEmpty() || checkpoint) {
          write(batch, checkpoint);
        }
      } catch (InterruptedException e) {
        stopping = true;
      } catch (RuntimeException e) {
        AuditTrailUnavailableException refused =
            new AuditTrailUnavailableException(
                "the audit trail in " + description + " failed: " + e, e);
        batch.forEach(pending -> pending.failed(refused));
      }
    }
  }

  /**
   * Reads where this node's chain stands; at the run's start, ends an unclean last run and opens
   * this one.
   */
  private void prepare() {
    try (Connection connection = dataSource.getConnection()) {
      ensureSchema(connection);
      TrailLine last = lastLine(connection);
      chain.resetTo(last == null ? Chain.GENESIS : last.storedChain());
      nextSeq = (last == null ? 0 : last.isCheckpoint() ? last.lastSeq() : last.seq()) + 1;
      if (!runOpened) {
        List<Row> rows = new ArrayList<>();
        if (last != null && !last.isTerminal()) {
          rows.add(checkpoint("recover", ",\"lost\":[],\"unwrittenBytes\":0,\"fragments\":[]"));
        }
        rows.add(checkpoint("open", TrailFormat.field("node", node)));
        insert(connection, rows);
        runOpened = true;
        LOG.log(
            Level.INFO,
            "Nimbus Auth audit trail: table "
                + JdbcAuditSink.TABLE
                + " in "
                + description
                + " as node "
                + node
                + (notReady == null ? "" : ", writable again")
                + (rows.size() > 1
                    ? "; the node's last run had stopped uncleanly and is ended with a 'recover' checkpoint"
                    : ""));
      } else if (notReady != null) {
        LOG.log(
            Level.INFO,
            "Nimbus Auth audit trail: table "
                + JdbcAuditSink.TABLE
                + " in "
                + description
                + " writable again");
      }
      ready = true;
      notReady = null;
    } catch (SQLException | RuntimeException e) {
      unavailable(e);
    }
  }

  private void write(List<JdbcAuditSink.Pending> batch, boolean checkpoint) {
    List<Row> rows = new ArrayList<>(batch.size() + 1);
    for (JdbcAuditSink.Pending pending : batch) {
      long seq = nextSeq++;
      byte[] line = TrailFormat.eventLine(seq, pending.tail);
      chain.seal(line, line.length - 1);
      rows.add(
          new Row(nextLine++, seq, pending.requestId, new String(line, 0, line.length - 1, UTF_8)));
    }
    if (checkpoint) {
      rows.add(checkpoint("periodic", ""));
    }
    try (Connection connection = dataSource.getConnection()) {
      insert(connection, rows);
    } catch (SQLException | RuntimeException e) {
      unavailable(e);
      AuditTrailUnavailableException refused = new AuditTrailUnavailableException(notReady, e);
      batch.forEach(pending -> pending.failed(refused));
      return;
    }
    eventsSinceCheckpoint = checkpoint ? 0 : eventsSinceCheckpoint + batch.size();
    if (checkpoint) {
      lastCheckpointNanos = System.nanoTime();
    }
    batch.forEach(JdbcAuditSink.Pending::committed);
  }

  private void closeRun() {
    if (!ready) {
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      insert(connection, List.of(checkpoint("close", "")));
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail: could not end node "
              + node
              + "'s run in "
              + description
              + " ("
              + e.getMessage()
              + "); its next start ends it with a 'recover' checkpoint");
    }
  }

  private record Row(long lineNo, Long seq, String requestId, String line) {}

  private Row checkpoint(String kind, String fields) {
    byte[] line = TrailFormat.checkpointLine(kind, clock.instant(), nextSeq - 1, fields);
    chain.seal(line, line.length - 1);
    return new Row(nextLine++, null, null, new String(line, 0, line.length - 1, UTF_8));
  }

  private void insert(Connection connection, List<Row> rows) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + JdbcAuditSink.TABLE
                + " (node_id, line_no, seq, request_id, line) VALUES (?, ?, ?, ?, ?)")) {
      for (Row row : rows) {
        insert.setString(1, node);
        insert.setLong(2, row.lineNo());
        insert.setObject(3, row.seq(), java.sql.Types.BIGINT);
        insert.setString(4, row.requestId());
        insert.setString(5, row.line());
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The node's last row, or {@code null}; sets where the next row goes. */
  private TrailLine lastLine(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT line_no, line FROM "
                + JdbcAuditSink.TABLE
                + " WHERE node_id = ? ORDER BY line_no DESC FETCH FIRST 1 ROWS ONLY")) {
      select.setString(1, node);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          nextLine = 1;
          return null;
        }
        nextLine = row.getLong(1) + 1;
        byte[] line = row.getString(2).getBytes(UTF_8);
        try {
          return TrailLine.parse(line, 0, line.length);
        } catch (IllegalArgumentException e) {
          throw new SQLException(
              "node "
                  + node
                  + "'s last row (line "
                  + (nextLine - 1)
                  + ") is no trail record: "
                  + e.getMessage()
                  + "; check the table with 'KeyAdmin audit verify --jdbc'");
        }
      }
    }
  }

  private void ensureSchema(Connection connection) throws SQLException {
    if (schemaReady) {
      return;
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      for (String sql : JdbcAuditSink.schema().replaceAll("(?m)^--.*$", "").split(";", -1)) {
        if (!sql.isBlank()) {
          statement.execute(sql.strip());
        }
      }
    } catch (SQLException e) {
      // Another node may have created the table at the same moment; fine if it is there now.
      try (Statement check = connection.createStatement()) {
        check.executeQuery("SELECT COUNT(*) FROM " + JdbcAuditSink.TABLE + " WHERE 1 = 0").close();
      } catch (SQLException stillMissing) {
        stillMissing.addSuppressed(e);
        throw stillMissing;
      }
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    schemaReady = true;
  }

  private void unavailable(Exception e) {
    ready = false;
    notReady =
        "the audit table "
            + JdbcAuditSink.TABLE
            + " in "
            + description
            + " cannot be written: "
            + e.getMessage()
            + "; requests are refused until it can";
    nextAttempt = System.nanoTime() + RETRY_NANOS;
  }
}
