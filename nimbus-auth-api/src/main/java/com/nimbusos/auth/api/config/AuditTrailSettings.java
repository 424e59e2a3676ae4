package com.nimbusos.auth.api.config;

import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the durable audit trails are written: the {@code nimbus.auth.audit.*} settings of the {@code
 * file} and {@code jdbc} sinks, validated together with {@link NimbusAuthConfig#AUDIT_SINK} so that
 * a setting the chosen sink would ignore is an error, not a surprise. Immutable; {@link
 * #toString()} never shows the key.
 */
public final class AuditTrailSettings {

  /** The built-in sinks {@link NimbusAuthConfig#AUDIT_SINK} names. */
  public enum Kind {
    /** {@code logging}: one JSON line per decision in the container's log. */
    LOGGING,
    /**
     * {@code file}: a {@link FileAuditSink}, signed under {@link NimbusAuthConfig#AUDIT_KEY},
     * required.
     */
    FILE,
    /**
     * No sink named: the one CDI bean or service implementing the sink, else the file trail with
     * these settings, signed if {@link NimbusAuthConfig#AUDIT_KEY} is set, else unsigned (with a
     * warning).
     */
    DEFAULT,
    /** {@code jdbc}: a {@link com.nimbusos.auth.api.audit.trail.JdbcAuditSink}. */
    JDBC,
    /**
     * A class named in {@link NimbusAuthConfig#AUDIT_SINK}, a CDI bean or a service: none of these
     * settings apply.
     */
    CUSTOM
  }

  private static final Pattern SIZE =
      Pattern.compile("([0-9]{1,10})\\s*([kmg]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  private final Kind kind;
  private final boolean explicitFileSettings;
  private final Path file;
  private final long rotateBytes;
  private final boolean rotateDaily;
  private final FileAuditSink.Fsync fsync;
  private final byte[] key;
  private final int checkpointRecords;
  private final int checkpointSeconds;
  private final String node;
  private final String dataSource;

  private AuditTrailSettings(Builder builder, Kind kind, String storeDataSource) {
    this.kind = kind;
    this.explicitFileSettings =
        builder.file != null
            || builder.rotateBytes != null
            || builder.rotateDaily != null
            || builder.fsync != null
            || builder.key != null
            || builder.checkpointRecords != null
            || builder.checkpointSeconds != null;
    this.file = builder.file;
    this.rotateBytes =
        builder.rotateBytes != null ? builder.rotateBytes : FileAuditSink.DEFAULT_ROTATE_BYTES;
    this.rotateDaily = builder.rotateDaily == null || builder.rotateDaily;
    this.fsync = builder.fsync != null ? builder.fsync : FileAuditSink.Fsync.NONE;
    this.key = builder.key;
    this.checkpointRecords =
        builder.checkpointRecords != null
            ? builder.checkpointRecords
            : FileAuditSink.DEFAULT_CHECKPOINT_RECORDS;
    this.checkpointSeconds =
        builder.checkpointSeconds != null
            ? builder.checkpointSeconds
            : (int) FileAuditSink.DEFAULT_CHECKPOINT_INTERVAL.toSeconds();
    this.node = builder.node;
    this.dataSource = builder.dataSource != null ? builder.dataSource : storeDataSource;
  }

  /** Which sink {@link NimbusAuthConfig#AUDIT_SINK} chose. */
  public Kind kind() {
    return kind;
  }

  /**
   * The file trail's directory and base name, if set; else the sink picks the server's log
   * directory.
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The size at which the file trail starts a new file. */
  public long rotateBytes() {
    return rotateBytes;
  }

  /** Whether the file trail starts a new file each day. */
  public boolean rotateDaily() {
    return rotateDaily;
  }

  /** When the file trail's records reach the disk. */
  public FileAuditSink.Fsync fsync() {
    return fsync;
  }

  /** The audit key, a copy; always present for {@code jdbc}, absent for an unsigned file trail. */
  public Optional<byte[]> key() {
    return Optional.ofNullable(key).map(byte[]::clone);
  }

  /** Records between two checkpoints. */
  public int checkpointRecords() {
    return checkpointRecords;
  }

  /** Longest time between two checkpoints while records come, in seconds. */
  public int checkpointSeconds() {
    return checkpointSeconds;
  }

  /** This node's name in the JDBC trail, if set; else the host name. */
  public Optional<String> node() {
    return Optional.ofNullable(node);
  }

  /** JNDI name of the JDBC trail's DataSource. */
  public String dataSource() {
    return dataSource;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case LOGGING -> "log";
      case DEFAULT ->
          "default"
              + (hasFileSettings()
                  ? " file "
                      + (file == null ? "(server log directory)" : file)
                      + (key == null ? ", unsigned" : ", key set")
                  : "");
      case CUSTOM -> "custom sink";
      case FILE ->
          "file "
              + (file == null ? "(server log directory)" : file)
              + ", "
              + (rotateBytes >> 10)
              + " KiB files"
              + (rotateDaily ? " and daily" : "")
              + ", fsync="
              + fsync.name().toLowerCase(Locale.ROOT)
              + (key == null ? ", unsigned" : ", key set");
      case JDBC -> "jdbc " + dataSource + (node == null ? "" : " node " + node) + ", key set";
    };
  }

  /** Whether any setting of the file trail was given (they apply to the default trail too). */
  public boolean hasFileSettings() {
    return explicitFileSettings;
  }

  /**
   * Parses a size: bytes, or a number with {@code k}, {@code m} or {@code g} (binary multiples).
   */
  static long parseSize(String text) {
    Matcher matcher = SIZE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("expected a size such as 65536, 512k, 64m or 1g");
    }
    long number = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> number << 10;
      case "m" -> number << 20;
      case "g" -> number << 30;
      default -> number;
    };
  }

  static FileAuditSink.Fsync parseFsync(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "none" -> FileAuditSink.Fsync.NONE;
      case "batch" -> FileAuditSink.Fsync.BATCH;
      default -> throw new IllegalArgumentException("expected 'none' or 'batch'");
    };
  }

  /** Collects the settings; {@code null} fields are the ones not set. */
  public static final class Builder {
    private Path file;
    private Long rotateBytes;
    private Boolean rotateDaily;
    private FileAuditSink.Fsync fsync;
    private byte[] key;
    private Integer checkpointRecords;
    private Integer checkpointSeconds;
    private String node;
    private String dataSource;

    Builder() {}

    /** See {@link NimbusAuthConfig#AUDIT_FILE}. */
    public Builder file(Path base) {
      if (base.getFileName() == null) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_FILE,
            "must name files in a directory, e.g. /var/log/nimbus/audit");
      }
      this.file = base;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_ROTATE_SIZE}; 64 KiB to 1 GiB. */
    public Builder rotateBytes(long bytes) {
      if (bytes < FileAuditSink.MIN_ROTATE_BYTES || bytes > FileAuditSink.MAX_ROTATE_BYTES) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_ROTATE_SIZE,
            "must be between 64k and 1g, was " + bytes + " bytes");
      }
      this.rotateBytes = bytes;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_ROTATE_DAILY}. */
    public Builder rotateDaily(boolean daily) {
      this.rotateDaily = daily;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_FSYNC}. */
    public Builder fsync(FileAuditSink.Fsync fsync) {
      this.fsync = java.util.Objects.requireNonNull(fsync, "fsync");
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_KEY}; at least 32 bytes. */
    public Builder key(byte[] key) {
      if (key == null || key.length < 32) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_KEY, "must be at least 32 bytes long");
      }
      this.key = key.clone();
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_CHECKPOINT_RECORDS}; 1 to 1000000. */
    public Builder checkpointRecords(int records) {
      if (records < 1 || records > 1_000_000) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_CHECKPOINT_RECORDS,
            "must be between 1 and 1000000, was " + records);
      }
      this.checkpointRecords = records;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_CHECKPOINT_SECONDS}; 1 to 3600. */
    public Builder checkpointSeconds(int seconds) {
      if (seconds < 1 || seconds > 3600) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_CHECKPOINT_SECONDS,
            "must be between 1 and 3600, was " + seconds);
      }
      this.checkpointSeconds = seconds;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_NODE}: 1 to 64 letters, digits or {@code .-_}. */
    public Builder node(String name) {
      if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_NODE,
            "must be 1 to 64 letters, digits or '.-_', was '" + name + "'");
      }
      this.node = name;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_DATASOURCE}. */
    public Builder dataSource(String jndiName) {
      if (jndiName == null || jndiName.isBlank()) {
        throw new ConfigurationException(NimbusAuthConfig.AUDIT_DATASOURCE, "must not be blank");
      }
      this.dataSource = jndiName.strip();
      return this;
    }

    /**
     * The settings for {@code sink}.
     *
     * @throws ConfigurationException naming a setting the sink would ignore, or the missing key
     */
    AuditTrailSettings build(String sink, String storeDataSource) {
      Kind kind = sink == null ? Kind.DEFAULT : kind(sink);
      // With no sink named, the file trail's settings apply to the default file trail; the resolver
      // refuses
      // them where a CDI bean or service is the sink instead, which would ignore them.
      boolean file = kind == Kind.FILE || kind == Kind.DEFAULT;
      boolean jdbc = kind == Kind.JDBC;
      onlyFor(file, this.file != null, NimbusAuthConfig.AUDIT_FILE, "file");
      onlyFor(file, rotateBytes != null, NimbusAuthConfig.AUDIT_ROTATE_SIZE, "file");
      onlyFor(file, rotateDaily != null, NimbusAuthConfig.AUDIT_ROTATE_DAILY, "file");
      onlyFor(file, fsync != null, NimbusAuthConfig.AUDIT_FSYNC, "file");
      onlyFor(jdbc, node != null, NimbusAuthConfig.AUDIT_NODE, "jdbc");
      onlyFor(jdbc, dataSource != null, NimbusAuthConfig.AUDIT_DATASOURCE, "jdbc");
      onlyFor(file || jdbc, key != null, NimbusAuthConfig.AUDIT_KEY, "file or jdbc");
      onlyFor(
          file || jdbc,
          checkpointRecords != null,
          NimbusAuthConfig.AUDIT_CHECKPOINT_RECORDS,
          "file or jdbc");
      onlyFor(
          file || jdbc,
          checkpointSeconds != null,
          NimbusAuthConfig.AUDIT_CHECKPOINT_SECONDS,
          "file or jdbc");
      // Only the default trail may go unsigned (with a warning at start): whoever names a durable
      // trail asks
      // for its guarantees, and one missing secret must fail the deployment rather than go
      // unnoticed.
      if ((kind == Kind.FILE || jdbc) && key == null) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_KEY,
            "is required with "
                + NimbusAuthConfig.AUDIT_SINK
                + "="
                + (jdbc ? "jdbc" : "file")
                + ": it signs the trail's checkpoints, without which a trail cut short or"
                + " rewritten cannot be told from a whole one (at least 32 bytes, given like the pepper, kept apart from the"
                + " trail); leave "
                + NimbusAuthConfig.AUDIT_SINK
                + " unset for the default, unsigned file trail");
      }
      return new AuditTrailSettings(this, kind, storeDataSource);
    }

    private static void onlyFor(boolean applies, boolean set, String property, String sinks) {
      if (set && !applies) {
        throw new ConfigurationException(
            property,
            "applies only with "
                + NimbusAuthConfig.AUDIT_SINK
                + "="
                + sinks
                + ", so it would be ignored: set "
                + NimbusAuthConfig.AUDIT_SINK
                + ", or remove "
                + property);
      }
    }

    private static Kind kind(String sink) {
      return switch (sink) {
        case "logging", "com.nimbusos.auth.api.audit.LoggingAuditSink" -> Kind.LOGGING;
        case "file", "com.nimbusos.auth.api.audit.trail.FileAuditSink" -> Kind.FILE;
        case "jdbc", "com.nimbusos.auth.api.audit.trail.JdbcAuditSink" -> Kind.JDBC;
        default -> Kind.CUSTOM;
      };
    }
  }
}
