package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.AuthMetrics.ValidationOutcome;
import com.nimbusos.auth.api.metrics.DecisionReason;
import com.nimbusos.auth.contract.LoggedRecords;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A metrics library is told everything, and may fail without flooding the log. */
class MetricsRecorderTest {

  @RegisterExtension final LoggedRecords log = new LoggedRecords();

  @Test
  void aFailingLibraryIsLoggedOnceWhateverFails() {
    AtomicInteger calls = new AtomicInteger();
    AuthMetrics broken =
        new AuthMetrics() {
          @Override
          public void decision(DecisionReason reason) {
            calls.incrementAndGet();
            throw new IllegalStateException("registry closed");
          }

          @Override
          public void validation(ValidationOutcome outcome, long nanos) {
            calls.incrementAndGet();
            throw new IllegalStateException("registry closed");
          }

          @Override
          public void anomaly(String kind) {
            calls.incrementAndGet();
            throw new NoClassDefFoundError("io/micrometer/core/instrument/Counter");
          }
        };
    MetricsRecorder recorder = new MetricsRecorder(broken);
    log.clear();
    for (int i = 0; i < 3; i++) {
      recorder.decision(DecisionReason.UNKNOWN);
      recorder.validation(ValidationOutcome.INVALID, recorder.validationStart());
      recorder.anomaly("SPRAYING");
    }
    List<LogRecord> records = List.copyOf(log.all());
    assertEquals(9, calls.get(), "every report is still tried");
    assertEquals(1, records.size(), "one line, not one per request");
    assertEquals(Level.WARNING, records.get(0).getLevel());
    assertTrue(
        records.get(0).getMessage().contains("decisions are unaffected"),
        records.get(0).getMessage());
  }

  @Test
  void withoutMetricsNoValidationReadsTheClock() {
    assertEquals(0L, new MetricsRecorder(AuthMetrics.NONE).validationStart());
  }

  @Test
  void timesAValidationFromItsStart() {
    List<Long> timed = new CopyOnWriteArrayList<>();
    MetricsRecorder recorder =
        new MetricsRecorder(
            new AuthMetrics() {
              @Override
              public void validation(ValidationOutcome outcome, long nanos) {
                timed.add(nanos);
              }
            });
    recorder.validation(ValidationOutcome.VALID, recorder.validationStart() - 5_000);
    assertTrue(timed.get(0) >= 5_000, "measured from the start given: " + timed);
  }
}
