package com.nimbusos.auth.contract;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The records the module logs to {@code com.nimbusos.auth} during each test, for tests that count
 * or read log lines (an outage logged once, its end once): {@code @RegisterExtension final
 * LoggedRecords log = new LoggedRecords();}. Unlike {@link LogCapture}, which proves over a whole
 * class that no key is logged, this keeps the records themselves, each test's own.
 */
public final class LoggedRecords implements BeforeEachCallback, AfterEachCallback {

  /** Held: a logger nobody references may be collected, and its handler with it. */
  private final Logger logger = Logger.getLogger("com.nimbusos.auth");

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @Override
  public void beforeEach(ExtensionContext context) {
    records.clear();
    logger.addHandler(handler);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.removeHandler(handler);
  }

  /** Every record so far, in order; the list grows as more is logged. */
  public List<LogRecord> all() {
    return records;
  }

  /** The records so far at exactly {@code level}. */
  public List<LogRecord> at(Level level) {
    return records.stream().filter(record -> record.getLevel() == level).toList();
  }

  /** Forgets what was logged so far: what a test did before the step it examines. */
  public void clear() {
    records.clear();
  }
}
