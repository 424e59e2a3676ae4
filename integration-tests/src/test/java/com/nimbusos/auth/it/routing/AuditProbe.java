package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.contract.TestKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the audit events of one request from a routing WAR's {@link
 * com.nimbusos.auth.it.routing.app.AuditProbeServlet} ({@code /it-audit}), with a valid key: the
 * filter wirings protect it like everything else.
 */
public final class AuditProbe {

  private final HttpClient client;
  private final URI base;

  /**
   * @param client a client that trusts the server
   * @param base the application's root, ending in {@code /}
   */
  public AuditProbe(HttpClient client, URI base) {
    this.client = client;
    this.base = base;
  }

  public List<Audited> of(String requestId) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("it-audit?id=" + requestId))
            .header("X-API-Key", TestKeys.READ)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "audit probe answered " + response.statusCode() + ": " + response.body());
    }
    List<Audited> events = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (!line.isBlank()) {
        events.add(Audited.parse(line));
      }
    }
    return events;
  }
}
