package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.contract.LoggedRecords;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An outage of the validator is logged so that it can be read: one stack trace per outage, one line
 * per request.
 */
class ValidatorOutageLogTest {

  @RegisterExtension final LoggedRecords log = new LoggedRecords();

  private static final String KEY = "sk_test_outage000000000000000000000";

  @Test
  void logsTheStackTraceOncePerOutageAndOneLinePerRefusedRequest() {
    AtomicBoolean down = new AtomicBoolean(true);
    ApiKeyPrincipal principal =
        new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of(), null);
    AuthenticationEngine engine =
        new AuthenticationEngine(
            key -> {
              if (down.get()) {
                throw new KeyValidationException("connection refused");
              }
              return ValidationResult.valid(principal);
            },
            NimbusAuthConfig.builder().anyEnvironment().build(),
            event -> {},
            Clock.systemUTC());
    log.clear();
    List<LogRecord> records = log.all();
    for (int i = 0; i < 5; i++) {
      assertEquals(
          503, engine.response(engine.decideAndRecord(FakeRequest.get("/orders", KEY))).status());
    }
    assertEquals(5, records.size(), "one line per refused request");
    assertNotNull(
        records.get(0).getThrown(), "the first failure of the outage carries its stack trace");
    assertTrue(records.stream().skip(1).allMatch(r -> r.getThrown() == null), "the others do not");
    assertTrue(
        records.stream().allMatch(r -> r.getMessage().contains("connection refused")),
        "each says why");
    assertFalse(records.stream().anyMatch(r -> r.getMessage().contains(KEY)), "never the key");

    down.set(false);
    records.clear();
    assertTrue(engine.decideAndRecord(FakeRequest.get("/orders", KEY)).allowed());
    assertEquals(1, records.size());
    assertTrue(records.get(0).getMessage().contains("decides again"), records.get(0).getMessage());
    assertTrue(engine.decideAndRecord(FakeRequest.get("/orders", KEY)).allowed());
    assertEquals(1, records.size(), "recovery is said once");

    down.set(true);
    records.clear();
    engine.decideAndRecord(FakeRequest.get("/orders", KEY));
    assertNotNull(records.get(0).getThrown(), "a new outage gets its stack trace again");
  }
}
