package com.nimbusos.auth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * HIPAA: not one decision may go unaudited, also under load. 64 concurrent clients send 50,000
 * requests (valid, unknown and missing keys) over HTTP; the sink must receive exactly one event per
 * request, each with the request id the client got in {@code X-Request-Id}.
 */
class AuditUnderLoadTest {

  private static final int CLIENTS = 64;
  private static final int REQUESTS = 50_000;

  /** Collects events by request id; configured by class name, as users configure sinks. */
  public static final class CollectingSink implements AuditSink {
    static final Map<String, AuditEvent> EVENTS = new ConcurrentHashMap<>();

    @Override
    public void record(AuditEvent event) {
      if (EVENTS.put(event.requestId(), event) != null) {
        throw new AssertionError("two events for " + event.requestId());
      }
    }
  }

  @Test
  void recordsExactlyOneEventPerRequestUnderLoad() throws Exception {
    CollectingSink.EVENTS.clear();
    Map<String, String> properties = new HashMap<>(ContractApp.PROPERTIES_WITH_RULES);
    properties.put("nimbus.auth.audit.sink", CollectingSink.class.getName());
    Set<String> requestIds = ConcurrentHashMap.newKeySet();
    try (LoopbackJetty app = JettyApp.start(properties)) {
      URI orders = app.baseUri().resolve("orders");
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Executors.newFixedThreadPool(4))
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int clientNumber = c;
        running.add(
            clients.submit(
                () -> {
                  for (int i = clientNumber; i < REQUESTS; i += CLIENTS) {
                    HttpRequest.Builder request =
                        HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(60));
                    switch (i % 3) {
                      case 0 -> request.header("X-API-Key", TestKeys.READ);
                      case 1 -> request.header("X-API-Key", TestKeys.UNKNOWN);
                      default -> {}
                    }
                    HttpResponse<Void> response =
                        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                    assertEquals(i % 3 == 0 ? 200 : 401, response.statusCode());
                    requestIds.add(response.headers().firstValue("X-Request-Id").orElseThrow());
                  }
                  return null;
                }));
      }
      for (Future<?> future : running) {
        future.get();
      }
      clients.shutdown();
    }
    assertEquals(REQUESTS, requestIds.size(), "every response had its own request id");
    assertEquals(REQUESTS, CollectingSink.EVENTS.size(), "one audit event per request");
    assertTrue(
        CollectingSink.EVENTS.keySet().containsAll(requestIds),
        "every response's id is in the audit trail");
    long allowed =
        CollectingSink.EVENTS.values().stream().filter(e -> e.outcome().equals("allowed")).count();
    assertEquals((REQUESTS + 2) / 3, allowed);
  }
}
