package com.nimbusos.auth.api.keys;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls a key store on a thread of its own ({@value #THREAD}), which runs nothing else, so that a
 * poll waits behind no write. Polls start every interval on the clock, however long the one before
 * took; an outage is logged when it begins (a warning, with its cause) and when it ends (with how
 * long it lasted), never at every poll.
 */
final class RevisionPoller implements AutoCloseable {

  static final String THREAD = "nimbus-auth-key-sync";

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /** One poll: read the store, and what changed in it. */
  @FunctionalInterface
  interface Poll {
    void run() throws KeyStoreException;
  }

  private final KeyStore store;
  private final Poll poll;
  private final long pollNanos;
  private final Duration maxStaleness;
  private final ScheduledExecutorService thread;
  private final Outage outage = new Outage();

  /** When the next poll is due, on nanoTime's scale; read and written by the poll thread only. */
  private long nextPollNanos;

  /**
   * Starts polling: the first poll one interval from now.
   *
   * @param store named in the log when it cannot be polled
   * @param maxStaleness how long cached keys are trusted without a poll: said in the log
   */
  // The next poll's future carries nothing to read: pollQuietly() handles and logs every failure
  // itself, and close() stops it with the executor.
  @SuppressWarnings("FutureReturnValueIgnored")
  RevisionPoller(KeyStore store, Duration interval, Duration maxStaleness, Poll poll) {
    this.store = store;
    this.poll = poll;
    this.pollNanos = interval.toNanos();
    this.maxStaleness = maxStaleness;
    this.thread = Daemons.singleThread(THREAD);
    this.nextPollNanos = System.nanoTime() + pollNanos;
    thread.schedule(this::pollAndReschedule, pollNanos, TimeUnit.NANOSECONDS);
  }

  /** Stops polling; a poll under way is interrupted. */
  @Override
  public void close() {
    thread.shutdownNow();
  }

  /**
   * Polls, then schedules the next poll one interval after this one was due rather than after it
   * ended (as a fixed delay would): a poll slowed down by the machine or the database (a connection
   * opened under load) then does not push every later one back, and a change is read at most one
   * interval after it was committed. A poll that overran its interval is followed at once; never
   * two at a time, and never a burst to catch up after a long one.
   */
  // See the constructor.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void pollAndReschedule() {
    try {
      pollQuietly();
    } finally {
      long now = System.nanoTime();
      nextPollNanos = Math.max(nextPollNanos + pollNanos, now);
      try {
        thread.schedule(this::pollAndReschedule, nextPollNanos - now, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        // closed while this poll ran: no more polls
      }
    }
  }

  private void pollQuietly() {
    try {
      poll.run();
    } catch (KeyStoreException | RuntimeException e) {
      if (thread.isShutdown()) {
        return; // closed during the poll, which the interruption broke: no outage
      }
      if (outage.failed()) {
        LOG.log(
            Level.WARNING,
            "Nimbus Auth cannot poll its key store "
                + store
                + " ("
                + e.getMessage()
                + "); cached keys stop being trusted "
                + maxStaleness.toMillis()
                + " ms after the last"
                + " successful poll, and requests fail closed until the store answers. Logged once per outage;"
                + " its end is logged too",
            e);
      }
      return;
    }
    String lasted = outage.recovered();
    if (lasted != null) {
      LOG.log(
          Level.INFO,
          "Nimbus Auth polls its key store " + store + " again, after an outage of " + lasted);
    }
  }

  @Override
  public String toString() {
    return "RevisionPoller[" + store + ", every " + Duration.ofNanos(pollNanos).toMillis() + " ms]";
  }
}
