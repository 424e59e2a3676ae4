package com.nimbusos.auth.api.audit.trail;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit trail in append-only files of its own, {@code <base>.000001.jsonl}, {@code
 * <base>.000002.jsonl}…: one JSON line per record, hash-chained, with HMAC checkpoints under the
 * audit key (see the {@linkplain com.nimbusos.auth.api.audit.trail package}). A new file starts at
 * each start, when the current one reaches its size, and each day (UTC); the chain runs on across
 * files.
 *
 * <p>{@link #record} copies the line into the file's memory mapping and returns: no system call,
 * and the line outlives the process at once (it is in the page cache), so a {@code kill -9} loses
 * no record that {@code record} returned for. To outlive the machine as well, {@link Fsync#BATCH}
 * has {@code record} wait until a background thread has forced its batch to disk. A record that
 * cannot be written (file not writable, disk full) makes {@code record} throw {@link
 * AuditTrailUnavailableException}, so the request is refused with {@code 503}; the sink tries again
 * every second and records again as soon as it can.
 *
 * <p>Sinks on the same base in one application share one writer; another application or process
 * writing the same base is refused ({@code <base>.lock}). Close every sink built when the
 * application stops.
 */
public final class FileAuditSink implements AuditSink {

  /** When a record reaches the disk itself. */
  public enum Fsync {
    /** The kernel writes it back in its own time; a machine crash can lose the last seconds. */
    NONE,
    /** {@code record} returns once the record is on disk; concurrent records share one flush. */
    BATCH
  }

  /** Smallest file size accepted. */
  public static final long MIN_ROTATE_BYTES = 64 * 1024;

  /** Largest file size accepted (a file is mapped whole). */
  public static final long MAX_ROTATE_BYTES = 1L << 30;

  /** File size unless set: 64 MiB, about 180,000 records. */
  public static final long DEFAULT_ROTATE_BYTES = 64L << 20;

  /** Records between checkpoints unless set. */
  public static final int DEFAULT_CHECKPOINT_RECORDS = 1000;

  /** Longest time between checkpoints (while records come) unless set. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private static final Map<Path, Shared> OPEN = new HashMap<>();

  private final Shared shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FileAuditSink(Shared shared) {
    this.shared = shared;
  }

  /**
   * A builder for the trail at {@code base}.
   *
   * @param base the directory and the files' base name, e.g. {@code /var/log/nimbus/audit}
   * @param key the audit key (at least 32 bytes), which signs the checkpoints: keep it apart from
   *     the files
   */
  public static Builder builder(Path base, byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("the audit key must be at least 32 bytes long");
    }
    return new Builder(base, key.clone());
  }

  /**
   * A builder for an unsigned trail at {@code base}: hash-chained like a signed one, so that a
   * record changed, removed, duplicated or moved is found by {@code verify}, but its checkpoints
   * are sealed under a key everybody knows (32 zero bytes). Whoever can write the files can
   * therefore cut the trail's tail or rewrite the whole chain unnoticed. The default trail is
   * unsigned until {@code nimbus.auth.audit.key} is set, because a secret generated here would have
   * to be kept next to the files.
   *
   * @param base the directory and the files' base name
   */
  public static Builder unsignedBuilder(Path base) {
    return new Builder(base, Chain.UNSIGNED_KEY.clone());
  }

  @Override
  public void record(AuditEvent event) {
    shared.writer.append(RecordEncoder.of(event));
  }

  @Override
  public void complete(AuditCompletion completion) {
    shared.writer.append(RecordEncoder.of(completion));
  }

  /**
   * Closes this sink; the last one closed on a trail ends its file with a {@code close} checkpoint.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release(shared);
    }
  }

  /** Where the records go and how, for start-up lines. */
  public String describe() {
    return "files " + shared.writer.pattern() + " (" + shared.settings.describe() + ")";
  }

  @Override
  public String toString() {
    return "FileAuditSink["
        + shared.writer.pattern()
        + ", fsync="
        + shared.settings.fsync().name().toLowerCase(java.util.Locale.ROOT)
        + "]";
  }

  private static FileAuditSink open(Settings settings) {
    Path base = settings.base().toAbsolutePath().normalize();
    synchronized (OPEN) {
      Shared shared = OPEN.get(base);
      if (shared != null) {
        if (!shared.settings.sameAs(settings)) {
          throw new IllegalStateException(
              "the audit trail "
                  + base
                  + " is open already with other settings (file size,"
                  + " fsync, checkpoints or key); one application writes each trail with one configuration");
        }
        shared.users++;
        return new FileAuditSink(shared);
      }
      Shared created = new Shared(settings, new TrailWriter(settings));
      OPEN.put(base, created);
      return new FileAuditSink(created);
    }
  }

  private static void release(Shared shared) {
    synchronized (OPEN) {
      if (--shared.users > 0) {
        return;
      }
      OPEN.remove(shared.settings.base().toAbsolutePath().normalize(), shared);
    }
    shared.writer.close();
  }

  /** One trail's writer and the sinks using it. */
  private static final class Shared {
    final Settings settings;
    final TrailWriter writer;
    int users = 1;

    Shared(Settings settings, TrailWriter writer) {
      this.settings = settings;
      this.writer = writer;
    }
  }

  /** Everything a trail is written with. */
  record Settings(
      Path base,
      byte[] key,
      int rotateBytes,
      boolean rotateDaily,
      Fsync fsync,
      int checkpointRecords,
      Duration checkpointInterval,
      Clock clock,
      TrailStorage storage) {

    boolean sameAs(Settings other) {
      return rotateBytes == other.rotateBytes
          && rotateDaily == other.rotateDaily
          && fsync == other.fsync
          && checkpointRecords == other.checkpointRecords
          && checkpointInterval.equals(other.checkpointInterval)
          && Arrays.equals(key, other.key);
    }

    String describe() {
      return "new file at "
          + (rotateBytes >= 1 << 20 ? (rotateBytes >> 20) + " MiB" : (rotateBytes >> 10) + " KiB")
          + (rotateDaily ? " and daily" : "")
          + ", fsync="
          + fsync.name().toLowerCase(java.util.Locale.ROOT)
          + ", checkpoint every "
          + checkpointRecords
          + " records or "
          + checkpointInterval.toSeconds()
          + " s"
          + (signed() ? ", signed" : ", UNSIGNED: set nimbus.auth.audit.key to detect a cut tail");
    }

    /** Whether the checkpoints are signed under a secret key. */
    boolean signed() {
      return !Arrays.equals(key, Chain.UNSIGNED_KEY);
    }

    @Override
    public String toString() {
      return "Settings[" + base + ", " + describe() + "]"; // never the key
    }
  }

  /** Builds a {@link FileAuditSink}; starts from the defaults above. */
  public static final class Builder {
    private final Path base;
    private final byte[] key;
    private long rotateBytes = DEFAULT_ROTATE_BYTES;
    private boolean rotateDaily = true;
    private Fsync fsync = Fsync.NONE;
    private int checkpointRecords = DEFAULT_CHECKPOINT_RECORDS;
    private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
    private Clock clock = Clock.systemUTC();
    private TrailStorage storage = TrailStorage.FILES;

    private Builder(Path base, byte[] key) {
      this.base = Objects.requireNonNull(base, "base");
      this.key = key;
      if (base.getFileName() == null) {
        throw new IllegalArgumentException(
            "the trail's base must name files in a directory, e.g. /var/log/nimbus/audit");
      }
    }

    /** Starts a new file once a file reaches {@code bytes}, 64 KiB to 1 GiB. */
    public Builder rotateBytes(long bytes) {
      if (bytes < MIN_ROTATE_BYTES || bytes > MAX_ROTATE_BYTES) {
        throw new IllegalArgumentException(
            "the file size must be between 64 KiB and 1 GiB, was " + bytes);
      }
      this.rotateBytes = bytes;
      return this;
    }

    /** Whether a new file starts each day (UTC); default {@code true}. */
    public Builder rotateDaily(boolean daily) {
      this.rotateDaily = daily;
      return this;
    }

    /** When records reach the disk; default {@link Fsync#NONE}. */
    public Builder fsync(Fsync fsync) {
      this.fsync = Objects.requireNonNull(fsync, "fsync");
      return this;
    }

    /**
     * A checkpoint after {@code records} records, or after {@code interval} if records came but
     * fewer: the records since the last checkpoint are attested by the chain only.
     */
    public Builder checkpointEvery(int records, Duration interval) {
      if (records < 1 || records > 1_000_000) {
        throw new IllegalArgumentException(
            "records between checkpoints must be between 1 and 1000000, was " + records);
      }
      if (interval.toMillis() < 100 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "the checkpoint interval must be between 100 ms and 1 h, was " + interval);
      }
      this.checkpointRecords = records;
      this.checkpointInterval = interval;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder storage(TrailStorage storage) {
      this.storage = storage;
      return this;
    }

    /**
     * Opens the trail (recovering what an unclean stop left in it), or joins the writer already
     * open on it. A trail that cannot be written now is not an error here: its records are refused
     * until it can be.
     *
     * @throws IllegalStateException if another application or process writes the trail, or it is
     *     open already with other settings
     */
    public FileAuditSink build() {
      return open(
          new Settings(
              base,
              key,
              (int) rotateBytes,
              rotateDaily,
              fsync,
              checkpointRecords,
              checkpointInterval,
              clock,
              storage));
    }
  }
}
