package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * A store in a relational database (PostgreSQL in production, shared by every node; H2 out of the
 * box as the platform's {@code java:comp/DefaultDataSource}). Creates its tables on first use from
 * the shipped {@code schema.sql}. Every change advances a revision row in the same transaction,
 * which validators on every node poll. On PostgreSQL the same transaction also announces the new
 * revision on {@link #CHANNEL}, and while anyone listens for changes (a {@link StoreKeyValidator}
 * does) the store holds one connection of the data source listening there, so other nodes' changes
 * apply within milliseconds; it is given back when the last listener goes. Other databases have no
 * notifications: the poll alone finds changes there. A database that is down makes each operation
 * throw {@link KeyStoreException}: requests then fail closed.
 */
public final class JdbcKeyStore implements KeyStore {

  /** The platform's default data source, present on every Jakarta EE server. */
  public static final String DEFAULT_DATASOURCE = "java:comp/DefaultDataSource";

  /** The PostgreSQL channel on which every change announces the store's new revision. */
  public static final String CHANNEL = "nimbus_api_key_revision";

  private static final String COLUMNS =
      "key_id, key_hash, owner_id, environment, scopes, last4, created_at, expires_at, revoked_at, last_used_at";

  private static final LocalChanges<JdbcKeyStore> LOCAL = new LocalChanges<>();

  private final DataSource dataSource;
  private final String description;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean schemaReady;

  /**
   * The database's URL and user, to tell stores on other databases apart; {@code null} until
   * connected.
   */
  private volatile String database;

  /**
   * Whether the database is PostgreSQL, which can announce changes; {@code null} until first
   * connected.
   */
  private volatile Boolean announces;

  /**
   * The highest revision this store's listeners were told of, so that a change is not announced
   * twice.
   */
  private final AtomicLong toldRevision = new AtomicLong(Long.MIN_VALUE);

  private final Object listenLock = new Object();
  private RevisionListener revisionListener;

  /**
   * A store over {@code dataSource}.
   *
   * @param description how to name the store in logs, e.g. its JNDI name; never credentials. Stores
   *     of one application with the same description are taken to share a database: a change
   *     through one reaches the others' listeners at once
   */
  public JdbcKeyStore(DataSource dataSource, String description) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.description = Objects.requireNonNull(description, "description");
    LOCAL.join(description, this);
  }

  /**
   * A store over the data source bound to {@code jndiName}.
   *
   * @throws KeyStoreException if nothing usable is bound there
   */
  // BanJNDI guards against looking up names a client chose; this name is the operator's
  // configuration, and
  // the lookup is the container's own DataSource binding.
  @SuppressWarnings("BanJNDI")
  public static JdbcKeyStore fromJndi(String jndiName) throws KeyStoreException {
    try {
      Object bound = new InitialContext().lookup(jndiName);
      if (!(bound instanceof DataSource dataSource)) {
        throw new KeyStoreException(jndiName + " is not a DataSource");
      }
      return new JdbcKeyStore(dataSource, jndiName);
    } catch (NamingException e) {
      throw new KeyStoreException("no DataSource at " + jndiName + ": " + e.getMessage(), e);
    }
  }

  /** The SQL that creates the tables, for DBAs who create them by hand. */
  public static String schema() {
    try (InputStream in = JdbcKeyStore.class.getResourceAsStream("schema.sql")) {
      return new String(
          Objects.requireNonNull(in, "schema.sql").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
    return findOne("key_hash", HexFormat.of().formatHex(hash));
  }

  @Override
  public Optional<KeyRecord> findById(String keyId) throws KeyStoreException {
    return findOne("key_id", keyId);
  }

  @Override
  public List<KeyRecord> list() throws KeyStoreException {
    return query(
        "SELECT " + COLUMNS + " FROM nimbus_api_key ORDER BY created_at, key_id",
        statement -> {},
        "list keys");
  }

  @Override
  public void insert(KeyRecord record) throws KeyStoreException {
    change("insert key " + record.keyId(), connection -> insert(connection, record));
  }

  @Override
  public void update(KeyRecord record) throws KeyStoreException {
    change("update key " + record.keyId(), connection -> update(connection, record));
  }

  @Override
  public void insertAndUpdate(KeyRecord inserted, KeyRecord updated) throws KeyStoreException {
    change(
        "rotate key " + updated.keyId(),
        connection -> {
          update(connection, updated);
          insert(connection, inserted);
        });
  }

  @Override
  public Set<String> disabledOwners() throws KeyStoreException {
    Set<String> owners = new HashSet<>();
    withConnection(
        "read disabled owners",
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "SELECT owner_id FROM nimbus_api_key_owner WHERE disabled = TRUE")) {
            while (rows.next()) {
              owners.add(rows.getString(1));
            }
          }
        });
    return Set.copyOf(owners);
  }

  @Override
  public void setOwnerDisabled(String owner, boolean disabled) throws KeyStoreException {
    change(
        (disabled ? "disable " : "enable ") + "owner " + owner,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE nimbus_api_key_owner SET disabled = ? WHERE owner_id = ?")) {
            update.setBoolean(1, disabled);
            update.setString(2, owner);
            if (update.executeUpdate() == 0) {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO nimbus_api_key_owner (owner_id, disabled) VALUES (?, ?)")) {
                insert.setString(1, owner);
                insert.setBoolean(2, disabled);
                insert.executeUpdate();
              }
            }
          }
        });
  }

  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) throws KeyStoreException {
    if (lastUsedByKeyId.isEmpty()) {
      return;
    }
    withConnection(
        "record last use",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "UPDATE nimbus_api_key SET last_used_at = ? WHERE key_id = ?"
                      + " AND (last_used_at IS NULL OR last_used_at < ?)")) {
            for (Map.Entry<String, Instant> use : lastUsedByKeyId.entrySet()) {
              long micros = micros(use.getValue());
              statement.setLong(1, micros);
              statement.setString(2, use.getKey());
              statement.setLong(3, micros);
              statement.addBatch();
            }
            statement.executeBatch();
          }
        });
  }

  @Override
  public long revision() throws KeyStoreException {
    long[] revision = new long[1];
    withConnection(
        "read revision",
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet row =
                  statement.executeQuery(
                      "SELECT revision FROM nimbus_api_key_revision WHERE id = 1")) {
            if (!row.next()) {
              throw new SQLException("revision row missing");
            }
            revision[0] = row.getLong(1);
          }
        });
    return revision[0];
  }

  @Override
  public void addChangeListener(Runnable listener) {
    listeners.add(listener);
    synchronized (listenLock) {
      if (revisionListener == null) {
        revisionListener = RevisionListener.start(dataSource, description, this::announced);
      }
    }
  }

  @Override
  public void removeChangeListener(Runnable listener) {
    listeners.remove(listener);
    synchronized (listenLock) {
      if (revisionListener != null && listeners.isEmpty()) {
        revisionListener.stop();
        revisionListener = null;
      }
    }
  }

  /**
   * Whether {@code other} may read and write the same database: yes unless both have connected and
   * found different URLs or users, since a barrier that took one database for two would say a
   * change is in force where it is not.
   */
  boolean sharesDatabaseWith(JdbcKeyStore other) {
    if (dataSource == other.dataSource || description.equals(other.description)) {
      return true;
    }
    String mine = database;
    String theirs = other.database;
    return mine == null || theirs == null || mine.equals(theirs);
  }

  @Override
  public String toString() {
    return "JdbcKeyStore[" + description + "]";
  }

  // --- plumbing ---------------------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlWork {
    void run(Connection connection) throws SQLException, KeyStoreException;
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private Optional<KeyRecord> findOne(String column, String value) throws KeyStoreException {
    List<KeyRecord> found =
        query(
            "SELECT " + COLUMNS + " FROM nimbus_api_key WHERE " + column + " = ?",
            statement -> statement.setString(1, value),
            "look up a key");
    return found.stream().findFirst();
  }

  private List<KeyRecord> query(String sql, Binder binder, String what) throws KeyStoreException {
    List<KeyRecord> records = new ArrayList<>();
    withConnection(
        what,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                records.add(record(rows));
              }
            }
          }
        });
    return records;
  }

  /**
   * Runs {@code work} and the revision bump in one transaction, announcing the new revision in it
   * on PostgreSQL (a notification is sent at commit, and only then), then tells local listeners.
   */
  private void change(String what, SqlWork work) throws KeyStoreException {
    long[] revision = {Long.MIN_VALUE};
    withConnection(
        what,
        connection -> {
          boolean autoCommit = connection.getAutoCommit();
          connection.setAutoCommit(false);
          try {
            work.run(connection);
            try (Statement bump = connection.createStatement()) {
              bump.executeUpdate(
                  "UPDATE nimbus_api_key_revision SET revision = revision + 1 WHERE id = 1");
            }
            if (announces(connection)) {
              revision[0] = announce(connection);
            }
            connection.commit();
          } catch (SQLException | KeyStoreException | RuntimeException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(autoCommit);
          }
        });
    long committed = revision[0];
    LOCAL.publish(description, store -> store.announced(committed));
  }

  private boolean announces(Connection connection) throws SQLException {
    Boolean known = announces;
    if (known == null) {
      known = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
      announces = known;
    }
    return known;
  }

  private static long announce(Connection connection) throws SQLException {
    try (Statement read = connection.createStatement();
        ResultSet row =
            read.executeQuery("SELECT revision FROM nimbus_api_key_revision WHERE id = 1")) {
      row.next();
      long revision = row.getLong(1);
      try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
        notify.setString(1, CHANNEL);
        notify.setString(2, Long.toString(revision));
        notify.executeQuery().close();
      }
      return revision;
    }
  }

  /**
   * Tells the listeners of a change at {@code revision}, unless they already heard of it (a change
   * made in this JVM reaches them both directly and through the database); {@code Long.MIN_VALUE}
   * or {@code -1}: of an unknown revision, always told.
   */
  private void announced(long revision) {
    if (revision >= 0 && toldRevision.getAndAccumulate(revision, Math::max) >= revision) {
      return;
    }
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        System.getLogger("com.nimbusos.auth")
            .log(System.Logger.Level.WARNING, "Nimbus Auth key store change listener failed: " + e);
      }
    }
  }

  private void withConnection(String what, SqlWork work) throws KeyStoreException {
    try (Connection connection = dataSource.getConnection()) {
      if (database == null) {
        DatabaseMetaData metaData = connection.getMetaData();
        database = metaData.getURL() + " as " + metaData.getUserName();
      }
      ensureSchema(connection);
      work.run(connection);
    } catch (SQLException e) {
      throw new KeyStoreException(
          "cannot " + what + " in " + description + ": " + e.getMessage(), e);
    }
  }

  private void ensureSchema(Connection connection) throws SQLException {
    if (schemaReady) {
      return;
    }
    synchronized (this) {
      if (schemaReady) {
        return;
      }
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        for (String sql : schema().replaceAll("(?m)^--.*$", "").split(";", -1)) {
          if (!sql.isBlank()) {
            statement.execute(sql.strip());
          }
        }
      } catch (SQLException e) {
        // Another node may have created the tables at the same moment; fine if they are there now.
        try (Statement check = connection.createStatement()) {
          check.executeQuery("SELECT revision FROM nimbus_api_key_revision WHERE id = 1").close();
        } catch (SQLException stillMissing) {
          stillMissing.addSuppressed(e);
          throw stillMissing;
        }
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      schemaReady = true;
    }
  }

  private static void insert(Connection connection, KeyRecord record)
      throws SQLException, KeyStoreException {
    if (exists(connection, "key_id", record.keyId())
        || exists(connection, "key_hash", record.hashHex())) {
      throw new KeyStoreException("key id " + record.keyId() + " or its hash already exists");
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO nimbus_api_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, record.keyId());
      statement.setString(2, record.hashHex());
      statement.setString(3, record.owner());
      statement.setString(4, record.environment().configName());
      statement.setString(5, String.join(" ", new java.util.TreeSet<>(record.scopes())));
      statement.setString(6, record.last4());
      statement.setLong(7, micros(record.createdAt()));
      setMicros(statement, 8, record.expiresAt());
      setMicros(statement, 9, record.revokedAt());
      setMicros(statement, 10, record.lastUsedAt());
      statement.executeUpdate();
    }
  }

  private static void update(Connection connection, KeyRecord record)
      throws SQLException, KeyStoreException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE nimbus_api_key SET expires_at = ?, revoked_at = ?, scopes = ? WHERE key_id = ?")) {
      setMicros(statement, 1, record.expiresAt());
      setMicros(statement, 2, record.revokedAt());
      statement.setString(3, String.join(" ", new java.util.TreeSet<>(record.scopes())));
      statement.setString(4, record.keyId());
      if (statement.executeUpdate() != 1) {
        throw new KeyStoreException("no key with id " + record.keyId());
      }
    }
  }

  private static boolean exists(Connection connection, String column, String value)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM nimbus_api_key WHERE " + column + " = ?")) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static KeyRecord record(ResultSet row) throws SQLException {
    return new KeyRecord(
        row.getString("key_id"),
        HexFormat.of().parseHex(row.getString("key_hash")),
        row.getString("owner_id"),
        Environment.parse(row.getString("environment")),
        new LinkedHashSet<>(Arrays.asList(row.getString("scopes").split(" ")))
            .stream().filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toSet()),
        row.getString("last4"),
        instant(row.getLong("created_at")),
        optionalInstant(row, "expires_at"),
        optionalInstant(row, "revoked_at"),
        optionalInstant(row, "last_used_at"));
  }

  private static Instant optionalInstant(ResultSet row, String column) throws SQLException {
    long micros = row.getLong(column);
    return row.wasNull() ? null : instant(micros);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static void setMicros(PreparedStatement statement, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, micros(instant));
    }
  }
}
