package com.nimbusos.auth.api.audit.trail;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The audit trail in a database table ({@value #TABLE}), shared by every node of a cluster: each
 * node keeps its own hash chain (its {@code node_id}), with the same records, chain and HMAC
 * checkpoints as {@link FileAuditSink}'s lines, so {@link TrailVerifier#verifyTable} checks it
 * alike.
 *
 * <p>{@link #record} returns once the record is committed: a writer thread inserts the records of
 * all requests waiting at that moment in one transaction (group commit), so a request waits about
 * one commit and the database sees one commit per batch, not per request. A database that cannot
 * take the records makes {@code record} throw {@link AuditTrailUnavailableException}: the request
 * is refused with {@code 503}, and the sink records again as soon as the database does. Creates its
 * table on first use from the shipped {@linkplain #schema() schema}.
 */
public final class JdbcAuditSink implements AuditSink {

  /** The table the trail is written to. */
  public static final String TABLE = "nimbus_audit_record";

  /** How long a request waits for its record's commit before it is refused. */
  private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Records waiting at most; more means the database is far behind, and requests are refused. */
  private static final int QUEUE = 100_000;

  private final TableWriter writer;
  private final LinkedBlockingQueue<Pending> queue;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcAuditSink(TableWriter writer, LinkedBlockingQueue<Pending> queue) {
    this.writer = writer;
    this.queue = queue;
  }

  /**
   * A builder for a trail in {@code dataSource}.
   *
   * @param description how to name the database in logs and errors, e.g. its JNDI name; never
   *     credentials
   * @param key the audit key (at least 32 bytes), which signs the checkpoints
   */
  public static Builder builder(DataSource dataSource, String description, byte[] key) {
    return new Builder(dataSource, description, key);
  }

  /** The SQL that creates the table, for DBAs who create it by hand. */
  public static String schema() {
    try (InputStream in = JdbcAuditSink.class.getResourceAsStream("schema.sql")) {
      return new String(
          Objects.requireNonNull(in, "schema.sql").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void record(AuditEvent event) {
    append(event.requestId(), RecordEncoder.of(event).tail());
  }

  @Override
  public void complete(AuditCompletion completion) {
    append(completion.requestId(), RecordEncoder.of(completion).tail());
  }

  private void append(String requestId, byte[] tail) {
    if (closed.get()) {
      throw new AuditTrailUnavailableException(
          "the audit trail in " + writer.description() + " is closed");
    }
    Pending pending = new Pending(requestId, tail);
    if (!queue.offer(pending)) {
      throw new AuditTrailUnavailableException(
          "the audit trail in "
              + writer.description()
              + " is "
              + QUEUE
              + " records behind; requests are refused until the database catches up");
    }
    pending.await(writer.description());
  }

  /**
   * Writes the records still waiting, ends this node's run with a {@code close} checkpoint, stops
   * the writer.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      writer.close();
    }
  }

  /** Where the records go, for start-up lines. */
  public String describe() {
    return "table " + TABLE + " in " + writer.description() + " as node " + writer.node();
  }

  @Override
  public String toString() {
    return "JdbcAuditSink[" + writer.description() + ", node " + writer.node() + "]";
  }

  /** A record waiting for its commit. */
  static final class Pending {
    final String requestId;
    final byte[] tail;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile RuntimeException failure;

    Pending(String requestId, byte[] tail) {
      this.requestId = requestId;
      this.tail = tail;
    }

    void committed() {
      done.countDown();
    }

    void failed(RuntimeException why) {
      failure = why;
      done.countDown();
    }

    void await(String where) {
      try {
        if (!done.await(PATIENCE_NANOS, TimeUnit.NANOSECONDS)) {
          throw new AuditTrailUnavailableException(
              "the audit record was not committed to " + where + " within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuditTrailUnavailableException(
            "interrupted while the audit record was committed", e);
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Builds a {@link JdbcAuditSink}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String description;
    private final byte[] key;
    private String node;
    private int checkpointRecords = FileAuditSink.DEFAULT_CHECKPOINT_RECORDS;
    private Duration checkpointInterval = FileAuditSink.DEFAULT_CHECKPOINT_INTERVAL;

    private Builder(DataSource dataSource, String description, byte[] key) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.description = Objects.requireNonNull(description, "description");
      if (key == null || key.length < 32) {
        throw new IllegalArgumentException("the audit key must be at least 32 bytes long");
      }
      this.key = key.clone();
    }

    /**
     * This node's name, 1 to 64 letters, digits or {@code .-_}; default the host name. Unique per
     * node.
     */
    public Builder node(String name) {
      if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException(
            "a node name is 1 to 64 letters, digits or '.-_', was '" + name + "'");
      }
      this.node = name;
      return this;
    }

    /**
     * A checkpoint after {@code records} records, or after {@code interval} if records came but
     * fewer.
     */
    public Builder checkpointEvery(int records, Duration interval) {
      if (records < 1
          || records > 1_000_000
          || interval.toMillis() < 100
          || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "checkpoints every 1 to 1000000 records and 100 ms to 1 h");
      }
      this.checkpointRecords = records;
      this.checkpointInterval = interval;
      return this;
    }

    /**
     * Starts the writer: creates the table if needed, and continues this node's chain (ending a run
     * that stopped uncleanly with a {@code recover} checkpoint). A database that is down now is not
     * an error here: records are refused until it is up.
     */
    public JdbcAuditSink build() {
      LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE);
      String name = node != null ? node : TableWriter.hostName();
      return new JdbcAuditSink(
          new TableWriter(
              dataSource, description, name, key, checkpointRecords, checkpointInterval, queue),
          queue);
    }
  }
}
