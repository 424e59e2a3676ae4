package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.LoggedRecords;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RevisionPollerTest {

  private static final Duration POLL = Duration.ofMillis(5);
  private static final Duration STALENESS = Duration.ofMillis(700);

  /** Named apart, so that only this test's polls are read from the shared logger. */
  private final InMemoryKeyStore store =
      new InMemoryKeyStore() {
        private final String name = "PollerTestStore-" + UUID.randomUUID();

        @Override
        public String toString() {
          return name;
        }
      };

  private final AtomicInteger polls = new AtomicInteger();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private volatile Exception failure;

  @RegisterExtension final LoggedRecords log = new LoggedRecords();

  private RevisionPoller poller() {
    return new RevisionPoller(
        store,
        POLL,
        STALENESS,
        () -> {
          threads.add(Thread.currentThread().getName());
          polls.incrementAndGet();
          Exception failing = failure;
          if (failing instanceof KeyStoreException e) {
            throw e;
          }
          if (failing instanceof RuntimeException e) {
            throw e;
          }
        });
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - deadline < 0, "timed out waiting until " + what);
      Thread.sleep(1);
    }
  }

  private List<LogRecord> logged(Level level) {
    return log.at(level).stream()
        .filter(record -> record.getMessage().contains(store.toString()))
        .toList();
  }

  @Test
  void pollsEveryIntervalOnAThreadOfItsOwn() throws Exception {
    try (RevisionPoller poller = poller()) {
      await(() -> polls.get() >= 10, "ten polls");
    }
    assertEquals(Set.of(RevisionPoller.THREAD), threads);
  }

  @Test
  void stopsPollingWhenClosed() throws Exception {
    RevisionPoller poller = poller();
    await(() -> polls.get() >= 2, "two polls");
    poller.close();
    Thread.sleep(20); // a poll under way when closed ends meanwhile
    int after = polls.get();
    Thread.sleep(10 * POLL.toMillis());
    assertEquals(after, polls.get());
  }

  @Test
  void logsAnOutageOnceWhenItBeginsAndOnceWhenItEnds() throws Exception {
    try (RevisionPoller poller = poller()) {
      await(() -> polls.get() >= 2, "two polls");
      failure = new KeyStoreException("connection refused");
      int failedFrom = polls.get();
      await(() -> polls.get() >= failedFrom + 20, "twenty failed polls");
      failure = null;
      await(() -> !logged(Level.INFO).isEmpty(), "the end of the outage is logged");
    }
    List<LogRecord> warnings = logged(Level.WARNING);
    assertEquals(1, warnings.size(), "one warning for the whole outage");
    assertTrue(warnings.get(0).getMessage().contains("cannot poll its key store"));
    assertTrue(warnings.get(0).getMessage().contains("connection refused"), "with its cause");
    assertTrue(warnings.get(0).getMessage().contains("trusted 700 ms after"));
    List<LogRecord> infos = logged(Level.INFO);
    assertEquals(1, infos.size());
    assertTrue(infos.get(0).getMessage().contains("again, after an outage of"));
    assertTrue(infos.get(0).getMessage().contains("failed attempts"), infos.get(0).getMessage());
  }

  @Test
  void keepsPollingAfterAPollThatThrowsAnUncheckedException() throws Exception {
    try (RevisionPoller poller = poller()) {
      failure = new IllegalStateException("driver bug");
      await(() -> polls.get() >= 3, "three failed polls");
      failure = null;
      int recovered = polls.get();
      await(() -> polls.get() >= recovered + 3, "polls after the failures");
    }
    assertEquals(1, logged(Level.WARNING).size());
  }
}
