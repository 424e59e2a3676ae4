package com.nimbusos.auth.api.audit.trail;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes one file trail. A request thread reserves its line's place under a short lock (a ticket, a
 * sequence number, a position in the mapped file), copies the line in outside the lock, in parallel
 * with the others, and publishes it: no system call, and the line is in the page cache, which
 * outlives the process. One sealing thread takes the published lines in order and writes their
 * chain values (and checkpoints' HMACs), adds periodic checkpoints, gives the file real blocks
 * ahead of the writers, prepares the next file, and with {@code fsync=batch} forces each batch to
 * disk before the waiting requests go on (group commit).
 */
final class TrailWriter {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth.audit.trail");

  /** Kept free at the end of every file for the checkpoint that ends it. */
  static final int CLOSING_ROOM = 1024;

  private static final int CHUNK = 1 << 20;

  /** How far ahead of the writers the file has real blocks. */
  private static final int AHEAD = 2 * CHUNK;

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How long a request waits for room (the sealing thread behind) before it is refused. */
  private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final long CLOSE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final FileAuditSink.Settings settings;
  private final TrailFiles names;
  private final TicketRing ring = new TicketRing();
  private final SpinLock lock = new SpinLock();
  private final Object durability = new Object();
  private final Thread thread;

  // guarded by lock
  private TrailFile current;
  private TrailFile spare;
  private boolean preparingSpare;
  private long nextTicket = 1;
  private long nextSeq = 1;
  private boolean closing;
  private boolean recovered;
  private int firstIndex;
  private String notOpen;
  private long nextOpenAttempt;
  private String rotationFailure;
  private long nextRotationAttempt;
  private FileChannel lockChannel;

  private volatile long sealed;
  private volatile long durable;
  private volatile long failedToForce;
  private volatile String forceFailure;
  private volatile String growthFailure;
  private volatile boolean stopping;

  /** Guarded by lock: the chain's head after recovery, which the sealing thread continues from. */
  private byte[] recoveredHead;

  /**
   * Guarded by lock: {@link #sealed} as a request thread last read it; read again only when it
   * looks too old.
   */
  private long sealedSeen;

  /**
   * The sealing thread's own state, allocated by that thread: in memory of its own, so that the
   * counters it writes for every record share no cache line with those the request threads write.
   */
  private static final class Sealing {
    Chain chain;
    byte[] scratch = new byte[4096];
    long eventsSinceCheckpoint;
    boolean checkpointPending;
    long lastCheckpointNanos = System.nanoTime();
    long nextGrowthAttempt;
    long nextSpareAttempt;
    long stopRequested;
    final List<TrailFile> unforced = new ArrayList<>();
    boolean unexpectedLogged;
  }

  private Sealing sealing;

  /**
   * Takes the trail, recovers what an unclean stop left in it, and starts the sealing thread. The
   * run's first file is created with its first record, so that a writer opened and closed without
   * records (a start-up check) leaves nothing behind. A trail that cannot be written now is retried
   * every second; meanwhile records are refused.
   *
   * @throws IllegalStateException if another writer, in this process or another, holds the trail
   */
  TrailWriter(FileAuditSink.Settings settings) {
    this.settings = settings;
    this.names = new TrailFiles(settings.base());
    this.thread = new Thread(this::run, "nimbus-audit-writer " + names.pattern());
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    recover(true);
    thread.start();
    LOG.log(
        Level.INFO,
        "Nimbus Auth audit trail: " + names.pattern() + " (" + settings.describe() + ")");
  }

  /** Where the trail's files are, as a pattern. */
  String pattern() {
    return names.pattern();
  }

  // --- request threads ---------------------------------------------------------------------------

  /**
   * Appends the record {@code encoded} holds; returns once it is in the page cache, or with {@code
   * fsync=batch} on disk.
   *
   * @throws AuditTrailUnavailableException if it cannot be
   */
  void append(RecordEncoder encoded) {
    int tail = encoded.tailLength();
    Slot slot = reserve(tail);
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    while (slot == null) {
      if (System.nanoTime() - deadline > 0) {
        throw new AuditTrailUnavailableException(
            "the audit trail "
                + names.pattern()
                + " is more than 2 s behind"
                + " (its sealing thread or the disk cannot keep up); requests are refused until it catches up");
      }
      LockSupport.unpark(thread);
      LockSupport.parkNanos(50_000);
      slot = reserve(tail);
    }
    // Nothing between reserving and publishing may fail: a ticket never published would stop the
    // sealing.
    int start = encoded.lineStart(slot.seq);
    int length = encoded.end() - start;
    slot.file.write(slot.position, encoded.buffer(), start, length);
    ring.publish(slot.ticket, slot.file, slot.position, length, TicketRing.EVENT);
    if (settings.fsync() == FileAuditSink.Fsync.BATCH) {
      LockSupport.unpark(thread);
      awaitDurable(slot.ticket);
    }
  }

  private record Slot(long ticket, long seq, TrailFile file, int position) {}

  /** A place for the line, or {@code null} to wait a little (sealing or file growth behind). */
  private Slot reserve(int tail) {
    lock.lock();
    try {
      if (closing) {
        throw new AuditTrailUnavailableException(
            "the audit trail " + names.pattern() + " is closed");
      }
      if (current == null) {
        if (notOpen != null) {
          throw new AuditTrailUnavailableException(notOpen);
        }
        startFile();
      }
      if (nextTicket - sealedSeen >= ring.capacity() - 4) {
        sealedSeen = sealed;
        if (nextTicket - sealedSeen >= ring.capacity() - 4) {
          return null;
        }
      }
      int length = TrailFormat.EVENT_START.length + TrailFormat.digits(nextSeq) + tail;
      if (length + 2 * CLOSING_ROOM > settings.rotateBytes() || length > TicketRing.LONGEST_LINE) {
        throw new AuditTrailUnavailableException(
            "an audit record of "
                + length
                + " bytes does not fit in a trail file of "
                + settings.rotateBytes()
                + " bytes");
      }
      if (current.position + length + CLOSING_ROOM > current.capacity && !rotate()) {
        return null;
      }
      if (current.position + length + CLOSING_ROOM > current.allocated()) {
        String failure = growthFailure;
        if (failure != null) {
          throw new AuditTrailUnavailableException(
              "the audit file "
                  + current.path
                  + " cannot grow: "
                  + failure
                  + "; requests are refused until it can (retried every second)");
        }
        return null;
      }
      long ticket = nextTicket++;
      long seq = nextSeq++;
      int position = current.position;
      current.position += length;
      return new Slot(ticket, seq, current, position);
    } finally {
      lock.unlock();
    }
  }

  private void awaitDurable(long ticket) {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    synchronized (durability) {
      while (durable < ticket) {
        if (failedToForce >= ticket) {
          throw new AuditTrailUnavailableException(
              "the audit trail "
                  + names.pattern()
                  + " could not be forced to disk: "
                  + forceFailure);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AuditTrailUnavailableException(
              "the audit trail " + names.pattern() + " was not forced to disk within 2 s");
        }
        try {
          durability.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AuditTrailUnavailableException(
              "interrupted while the audit record was forced to disk", e);
        }
      }
    }
  }

  // --- files (under lock, from any thread) -------------------------------------------------------

  /**
   * Moves on to the next file: the spare the sealing thread prepared, else one created now.
   *
   * @return {@code false} if the spare is being prepared (wait for it)
   * @throws AuditTrailUnavailableException if the next file cannot be created
   */
  private boolean rotate() {
    TrailFile next = spare;
    if (next != null && !ring.canUse(next)) {
      return false; // the sealing thread is files behind: wait for it
    }
    if (next == null) {
      if (preparingSpare) {
        return false;
      }
      if (rotationFailure != null && System.nanoTime() - nextRotationAttempt < 0) {
        throw full(rotationFailure);
      }
      try {
        next = createFile(current.index + 1);
        rotationFailure = null;
        if (!ring.canUse(next)) {
          spare = next; // kept for when the sealing thread has caught up
          return false;
        }
      } catch (IOException | RuntimeException e) {
        rotationFailure = describe(e);
        nextRotationAttempt = System.nanoTime() + RETRY_NANOS;
        throw full(rotationFailure);
      }
    }
    spare = null;
    reserveCheckpoint(current, "rotate", ",\"next\":" + next.index, TicketRing.LAST_IN_FILE);
    install(next);
    return true;
  }

  private AuditTrailUnavailableException full(String why) {
    return new AuditTrailUnavailableException(
        "the audit file "
            + current.path
            + " is full and the next one cannot be"
            + " created: "
            + why
            + "; requests are refused until it can (retried every second)");
  }

  private void install(TrailFile file) {
    ring.use(file);
    current = file;
    file.day = today();
    reserveCheckpoint(file, "open", ",\"file\":" + file.index, TicketRing.CHECKPOINT);
  }

  /**
   * Reserves, writes and publishes a checkpoint line; the sealing thread adds its HMAC and chain
   * value.
   */
  private void reserveCheckpoint(TrailFile file, String kind, String fields, byte ringKind) {
    byte[] line = TrailFormat.checkpointLine(kind, settings.clock().instant(), nextSeq - 1, fields);
    long ticket = nextTicket++;
    int position = file.position;
    file.position += line.length;
    file.put(position, line);
    ring.publish(ticket, file, position, line.length, ringKind);
  }

  private TrailFile createFile(int index) throws IOException {
    TrailFile file =
        TrailFile.create(
            settings.storage(),
            names.file(index),
            index,
            settings.rotateBytes(),
            Math.min(settings.rotateBytes(), AHEAD));
    if (settings.fsync() == FileAuditSink.Fsync.BATCH) {
      syncDirectory();
    }
    return file;
  }

  /** Makes a new file's name durable too. */
  private void syncDirectory() throws IOException {
    try (FileChannel directory = FileChannel.open(names.directory(), StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private long today() {
    return Math.floorDiv(settings.clock().millis(), TimeUnit.DAYS.toMillis(1));
  }

  // --- opening -----------------------------------------------------------------------------------

  /**
   * Takes the trail's lock file and recovers the trail.
   *
   * @param first whether this is the first attempt, where another writer holding the trail is an
   *     error
   */
  private void recover(boolean first) {
    try {
      if (Files.exists(names.directory()) && !Files.isDirectory(names.directory())) {
        throw new IOException(names.directory() + " is not a directory");
      }
      Files.createDirectories(names.directory());
      takeLock();
      TrailRecovery.Result recovered =
          TrailRecovery.run(settings.storage(), names, settings.key(), settings.clock());
      lock.lock();
      try {
        recoveredHead = recovered.head();
        this.recovered = true;
        nextSeq = recovered.lastSeq() + 1;
        firstIndex = recovered.nextIndex();
      } finally {
        lock.unlock();
      }
    } catch (TrailConflict e) {
      if (first) {
        throw e;
      }
      cannotWrite(e);
    } catch (IOException | RuntimeException e) {
      cannotWrite(e);
    }
  }

  /** Under the lock: creates the run's first file. */
  private void startFile() {
    try {
      install(createFile(firstIndex));
      notOpen = null;
    } catch (IOException | RuntimeException e) {
      cannotWrite(e);
      throw new AuditTrailUnavailableException(notOpen, e);
    }
  }

  /** The sealing thread's retry, every second, while the trail cannot be written. */
  private void retryOpening() {
    boolean recover;
    lock.lock();
    try {
      if (current != null
          || notOpen == null
          || closing
          || System.nanoTime() - nextOpenAttempt < 0) {
        return;
      }
      recover = !recovered;
    } finally {
      lock.unlock();
    }
    if (recover) {
      recover(false);
    }
    lock.lock();
    try {
      if (recovered && current == null && !closing) {
        startFile();
        LOG.log(Level.INFO, "Nimbus Auth audit trail writable again: writing " + current.path);
      }
    } catch (AuditTrailUnavailableException stillNot) {
      // refused as before; tried again in a second
    } finally {
      lock.unlock();
    }
  }

  private void cannotWrite(Exception e) {
    lock.lock();
    try {
      notOpen =
          "the audit trail "
              + names.pattern()
              + " cannot be written: "
              + describe(e)
              + "; requests are refused until it can (retried every second)";
      nextOpenAttempt = System.nanoTime() + RETRY_NANOS;
    } finally {
      lock.unlock();
    }
  }

  /** Another writer holds the trail. */
  static final class TrailConflict extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TrailConflict(String message) {
      super(message);
    }
  }

  private void takeLock() throws IOException {
    if (lockChannel != null) {
      return;
    }
    FileChannel channel =
        settings.storage().open(names.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (held == null) {
      channel.close();
      throw new TrailConflict(
          "another writer (another application in this server, or another process) holds the audit"
              + " trail "
              + names.pattern()
              + " ("
              + names.lock()
              + "): give each its own nimbus.auth.audit.file");
    }
    lockChannel = channel;
  }

  // --- the sealing thread ------------------------------------------------------------------------

  private void run() {
    sealing = new Sealing();
    while (true) {
      try {
        if (stopping && closeDown()) {
          return;
        }
        boolean busy = sealPublished();
        if (settings.fsync() == FileAuditSink.Fsync.BATCH) {
          forceSealed();
        }
        maintain();
        if (!busy) {
          LockSupport.parkNanos(this, POLL_NANOS);
        }
      } catch (RuntimeException | InternalError e) {
        if (!sealing.unexpectedLogged) {
          sealing.unexpectedLogged = true;
          LOG.log(
              Level.ERROR,
              "Nimbus Auth audit trail " + names.pattern() + ": the sealing thread failed",
              e);
        }
        LockSupport.parkNanos(this, RETRY_NANOS);
      }
    }
  }

  /** Seals every published line in order; whether there was any. */
  private boolean sealPublished() {
    long ticket = sealed + 1;
    boolean any = false;
    for (long word = ring.published(ticket); word != 0; word = ring.published(ticket)) {
      seal(word);
      any = true;
      if ((ticket & 255) == 0) {
        sealed = ticket;
      }
      ticket++;
    }
    sealed = ticket - 1;
    return any;
  }

  private void seal(long word) {
    Sealing state = sealing;
    TrailFile file = ring.file(word);
    int position = TicketRing.position(word);
    int length = TicketRing.length(word);
    byte kind = TicketRing.kind(word);
    if (state.scratch.length < length) {
      state.scratch = new byte[Math.max(length, 2 * state.scratch.length)];
    }
    byte[] scratch = state.scratch;
    file.read(position, scratch, length);
    int line = length - 1;
    chain().seal(scratch, line);
    if (kind != TicketRing.EVENT) {
      int mac = TrailFormat.macHexStart(line);
      file.write(position + mac, scratch, mac, TrailFormat.HEX_CHARS);
      state.eventsSinceCheckpoint = 0;
      state.checkpointPending = false;
      state.lastCheckpointNanos = System.nanoTime();
    } else {
      state.eventsSinceCheckpoint++;
    }
    int hex = TrailFormat.chainHexStart(line);
    file.write(position + hex, scratch, hex, TrailFormat.HEX_CHARS);
    TrailFile.Progress progress = file.progress();
    progress.sealedEnd = position + length;
    List<TrailFile> unforced = state.unforced;
    if (unforced.isEmpty() || unforced.get(unforced.size() - 1) != file) {
      unforced.add(file);
    }
    if (kind == TicketRing.LAST_IN_FILE) {
      finish(file);
    }
  }

  /** The chain, continued from where recovery left it. */
  private Chain chain() {
    if (sealing.chain == null) {
      byte[] head;
      lock.lock();
      try {
        head = recoveredHead;
      } finally {
        lock.unlock();
      }
      sealing.chain = new Chain(settings.key(), head);
    }
    return sealing.chain;
  }

  /** A file whose last line is sealed: on disk, truncated to what was written, closed. */
  private void finish(TrailFile file) {
    sealing.unforced.remove(file);
    try {
      file.finish(file.progress().sealedEnd);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail: could not truncate and close "
              + file.path
              + " ("
              + describe(e)
              + "); its records are complete, the next start truncates it");
    }
  }

  /**
   * Group commit: forces what was sealed since the last time, then lets the waiting requests go.
   */
  private void forceSealed() {
    long upTo = sealed;
    if (upTo > durable) {
      try {
        for (TrailFile file : sealing.unforced) {
          TrailFile.Progress progress = file.progress();
          file.force(progress.forcedEnd, progress.sealedEnd);
          progress.forcedEnd = progress.sealedEnd;
        }
        sealing.unforced.clear();
        durable = upTo;
      } catch (RuntimeException e) {
        forceFailure = describe(e);
        failedToForce = upTo;
      }
      synchronized (durability) {
        durability.notifyAll();
      }
    }
  }

  /** Reopening, checkpoints, the daily rotation, blocks ahead, the next file. */
  private void maintain() {
    long now = System.nanoTime();
    TrailFile file;
    int position;
    boolean prepare;
    lock.lock();
    try {
      if (closing) {
        return;
      }
      file = current;
      if (file != null) {
        checkpointIfDue(file, now);
        rotateIfNewDay(file);
        file = current;
      }
      position = file == null ? 0 : file.position;
      prepare =
          file != null
              && spare == null
              && !preparingSpare
              && position > file.capacity / 2
              && now - sealing.nextSpareAttempt >= 0;
      preparingSpare |= prepare;
    } finally {
      lock.unlock();
    }
    if (file == null) {
      retryOpening();
      return;
    }
    grow(file, position, now);
    if (prepare) {
      prepareSpare(file.index + 1, now);
    }
  }

  private void checkpointIfDue(TrailFile file, long now) {
    Sealing state = sealing;
    boolean due =
        !state.checkpointPending
            && state.eventsSinceCheckpoint > 0
            && (state.eventsSinceCheckpoint >= settings.checkpointRecords()
                || now - state.lastCheckpointNanos >= settings.checkpointInterval().toNanos());
    if (due
        && nextTicket - sealed < ring.capacity() - 2
        && file.position + 2 * CLOSING_ROOM <= file.allocated()) {
      reserveCheckpoint(file, "periodic", "", TicketRing.CHECKPOINT);
      state.checkpointPending = true;
    }
  }

  private void rotateIfNewDay(TrailFile file) {
    if (!settings.rotateDaily()
        || file.day == today()
        || file.position + CLOSING_ROOM > file.allocated()) {
      return;
    }
    try {
      rotate();
    } catch (AuditTrailUnavailableException e) {
      file.day = today(); // tried; the size rotation will try again, and report if it cannot
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail: the daily rotation failed; records go on to "
              + file.path
              + ": "
              + e.getMessage());
    }
  }

  private void grow(TrailFile file, int position, long now) {
    if (file.allocated() - position >= CHUNK || file.allocated() == file.capacity) {
      return;
    }
    String failure = growthFailure;
    if (failure != null && now - sealing.nextGrowthAttempt < 0) {
      return;
    }
    try {
      file.allocateTo(settings.storage(), position + AHEAD, CHUNK);
      if (failure != null) {
        growthFailure = null;
        LOG.log(Level.INFO, "Nimbus Auth audit trail: " + file.path + " can grow again");
      }
    } catch (IOException | RuntimeException e) {
      growthFailure = describe(e);
      sealing.nextGrowthAttempt = now + RETRY_NANOS;
      if (failure == null) {
        LOG.log(
            Level.WARNING,
            "Nimbus Auth audit trail: "
                + file.path
                + " cannot grow ("
                + growthFailure
                + "); requests"
                + " are refused with 503 once the "
                + ((file.allocated() - position) / 1024)
                + " KiB it has left are used."
                + " Retried every second.");
      }
    }
  }

  private void prepareSpare(int index, long now) {
    TrailFile file = null;
    try {
      file = createFile(index);
    } catch (IOException | RuntimeException e) {
      sealing.nextSpareAttempt =
          now + RETRY_NANOS; // the rotation itself will try again, and say why it cannot
    }
    lock.lock();
    try {
      preparingSpare = false;
      if (file != null
          && !closing
          && spare == null
          && current != null
          && current.index + 1 == index) {
        spare = file;
        file = null;
      }
    } finally {
      lock.unlock();
    }
    if (file != null) {
      file.discard();
    }
  }

  // --- closing -----------------------------------------------------------------------------------

  /**
   * Stops taking records, ends the current file with a {@code close} checkpoint and stops the
   * thread.
   */
  void close() {
    lock.lock();
    try {
      if (closing) {
        return;
      }
      closing = true;
    } finally {
      lock.unlock();
    }
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The sealing thread's last steps; {@code false} while lines reserved before closing are not
   * written yet.
   */
  private boolean closeDown() {
    long now = System.nanoTime();
    if (sealing.stopRequested == 0) {
      sealing.stopRequested = now;
    }
    sealPublished();
    TrailFile file;
    TrailFile unused;
    boolean complete;
    lock.lock();
    try {
      complete = sealed == nextTicket - 1;
      if (!complete && now - sealing.stopRequested < CLOSE_PATIENCE_NANOS) {
        return false;
      }
      file = current;
      if (complete && file != null) {
        reserveCheckpoint(file, "close", "", TicketRing.LAST_IN_FILE);
      }
      current = null;
      unused = spare;
      spare = null;
    } finally {
      lock.unlock();
    }
    sealPublished();
    if (!complete && file != null) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail: closed with records reserved but not written after 5 s; "
              + file.path
              + " is left for the next start to recover");
      file.abandon();
    }
    if (unused != null) {
      unused.discard();
    }
    if (complete) {
      durable = sealed; // the close checkpoint's file was forced when it was finished
    } else if (settings.fsync() == FileAuditSink.Fsync.BATCH) {
      forceSealed();
    }
    synchronized (durability) {
      durability.notifyAll();
    }
    releaseLock();
    return true;
  }

  private void releaseLock() {
    FileChannel channel = lockChannel;
    lockChannel = null;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock goes with the channel either way
      }
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
