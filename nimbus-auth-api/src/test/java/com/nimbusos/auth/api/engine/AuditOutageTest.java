package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import com.nimbusos.auth.api.audit.trail.TrailVerifier;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit trail that cannot be written refuses every request with 503 and says so once, then heals
 * itself.
 */
class AuditOutageTest {

  private static final byte[] AUDIT_KEY =
      "an-audit-key-of-at-least-32-bytes-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final String KEY = "sk_test_0123456789012345678901234567890123456";

  @TempDir Path dir;

  @Test
  void anUnwritableTrailRefusesEveryRequestWithOneLogLineAndRecoversByItself() throws Exception {
    Path logs = dir.resolve("logs");
    Files.writeString(logs, "a regular file where the trail's directory should be");
    KeyValidator validator =
        key ->
            ValidationResult.valid(
                new ApiKeyPrincipal("key_1", "acme", Environment.SANDBOX, Set.of(), null));
    List<LogRecord> logged = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            synchronized (logged) {
              logged.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger nimbus = Logger.getLogger("com.nimbusos.auth");
    nimbus.addHandler(capture);
    try (FileAuditSink sink = FileAuditSink.builder(logs.resolve("audit"), AUDIT_KEY).build()) {
      AuthenticationEngine engine =
          new AuthenticationEngine(
              validator,
              NimbusAuthConfig.builder().anyEnvironment().build(),
              sink,
              Clock.systemUTC());
      for (int i = 0; i < 50; i++) {
        Decision.Denied refused =
            (Decision.Denied) engine.decideAndRecord(FakeRequest.get("/orders", KEY));
        assertEquals(AuthError.SERVICE_UNAVAILABLE, refused.error());
        assertEquals(DenialReason.AUDIT_UNAVAILABLE, refused.reason());
      }
      List<LogRecord> errors = records(logged, Level.SEVERE);
      assertEquals(1, errors.size(), "one line for the outage, not one per request");
      assertTrue(
          errors.get(0).getMessage().contains("every request after it are refused with 503"),
          errors.get(0).getMessage());
      assertTrue(
          errors
              .get(0)
              .getThrown()
              .getMessage()
              .startsWith(
                  "the audit trail " + logs.resolve("audit.*.jsonl") + " cannot be written: "),
          errors.get(0).getThrown().getMessage());

      Files.delete(logs);
      Files.createDirectory(logs);
      Decision decision = engine.decideAndRecord(FakeRequest.get("/orders", KEY));
      for (long deadline = System.nanoTime() + 10_000_000_000L;
          !decision.allowed() && System.nanoTime() < deadline; ) {
        Thread.sleep(50);
        decision = engine.decideAndRecord(FakeRequest.get("/orders", KEY));
      }
      assertTrue(decision.allowed(), "records again once the directory can be written");
      assertEquals(1, records(logged, Level.SEVERE).size());
      List<LogRecord> healed =
          records(logged, Level.WARNING).stream()
              .filter(r -> r.getMessage().startsWith("Nimbus Auth audit trail records again; "))
              .toList();
      assertEquals(1, healed.size());
    } finally {
      nimbus.removeHandler(capture);
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(logs)) {
      files = entries.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
    assertTrue(TrailVerifier.withKey(AUDIT_KEY).verifyFiles(files).intact());
  }

  @Test
  void completionsThatCannotBeRecordedAreLoggedOncePerOutage() {
    KeyValidator validator =
        key ->
            ValidationResult.valid(
                new ApiKeyPrincipal("key_1", "acme", Environment.SANDBOX, Set.of(), null));
    boolean[] down = {true};
    com.nimbusos.auth.api.audit.AuditSink sink =
        new com.nimbusos.auth.api.audit.AuditSink() {
          @Override
          public void record(com.nimbusos.auth.api.audit.AuditEvent event) {}

          @Override
          public void complete(com.nimbusos.auth.api.audit.AuditCompletion completion) {
            if (down[0]) {
              throw new IllegalStateException("the trail's disk is full");
            }
          }
        };
    List<LogRecord> logged = new ArrayList<>();
    Handler capture = capturing(logged);
    Logger nimbus = Logger.getLogger("com.nimbusos.auth");
    nimbus.addHandler(capture);
    try {
      AuthenticationEngine engine =
          new AuthenticationEngine(
              validator,
              NimbusAuthConfig.builder().anyEnvironment().build(),
              sink,
              Clock.systemUTC());
      for (int i = 0; i < 20; i++) {
        Decision decision = engine.decideAndRecord(FakeRequest.get("/orders", KEY));
        engine.complete(engine.trail(decision, () -> 200), 200);
      }
      List<LogRecord> errors = records(logged, Level.SEVERE);
      assertEquals(1, errors.size(), "one line for the outage, not one per request");
      assertTrue(errors.get(0).getMessage().contains("(logged once)"), errors.get(0).getMessage());
      assertEquals("the trail's disk is full", errors.get(0).getThrown().getMessage());

      down[0] = false;
      Decision decision = engine.decideAndRecord(FakeRequest.get("/orders", KEY));
      engine.complete(engine.trail(decision, () -> 200), 200);
      List<LogRecord> healed = records(logged, Level.WARNING);
      assertEquals(1, healed.size());
      assertTrue(
          healed
              .get(0)
              .getMessage()
              .contains("20 request(s) ended meanwhile without their final status"),
          healed.get(0).getMessage());
    } finally {
      nimbus.removeHandler(capture);
    }
  }

  private static Handler capturing(List<LogRecord> logged) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (logged) {
          logged.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  private static List<LogRecord> records(List<LogRecord> logged, Level level) {
    synchronized (logged) {
      return logged.stream().filter(r -> r.getLevel() == level).toList();
    }
  }
}
