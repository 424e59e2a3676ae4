package com.nimbusos.auth.filter;

import static com.nimbusos.auth.contract.ContractAssertions.assertError;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.TestKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Brute-force throttling, end to end through the servlet filter. */
class ThrottlingOverHttpTest {

  @Test
  void answers429WithRetryAfterOnceAClientFailedTooOftenAndForwardingHeadersDoNotHelp()
      throws Exception {
    Map<String, String> properties = new HashMap<>(ContractApp.PROPERTIES_WITH_RULES);
    properties.put("nimbus.auth.throttle.max-failures", "5");
    properties.put("nimbus.auth.throttle.window-seconds", "120");
    try (LoopbackJetty app = JettyApp.start(properties)) {
      HttpProbe probe = HttpProbe.plain(app::baseUri);
      for (int i = 0; i < 5; i++) {
        assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", TestKeys.UNKNOWN)));
      }
      Reply limited =
          probe.send(
              probe
                  .get("orders")
                  .header("X-API-Key", TestKeys.READ)
                  .header("X-Forwarded-For", "203.0.113.9"));
      assertError(limited, 429, "rate_limited", "Too many failed attempts");
      assertEquals(Optional.of("120"), limited.header("Retry-After"));
      assertOk(probe.send(probe.get("health")));
    }
  }
}
