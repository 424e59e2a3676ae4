package com.nimbusos.auth.it.containers;

import static com.nimbusos.auth.contract.ContractAssertions.assertHttpsRequired;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.ApiKeyContract;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.TestKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole {@link ApiKeyContract}, run from this JVM against a {@link Wiring} WAR deployed to a
 * real container, over HTTPS on the container's TLS listener with a client that trusts only the
 * build's certificate. Plus what only a container with both listeners can show: plain HTTP with a
 * valid key is refused, never redirected. The failsafe execution says which container ({@code
 * arquillian.launch}) and its ports ({@code it.http.port}, {@code it.https.port}). No key may reach
 * the server's log: {@link ServerLogCheckIT} reads it after the container's run.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerContract extends ApiKeyContract {

  private static final SSLContext TLS = TestTls.trustingBuildCertificate();
  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(TLS)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * Every exchange of this class's tests that got an {@code X-Request-Id}, checked against the
   * trail after them.
   */
  private static final List<Exchange> EXCHANGES = Collections.synchronizedList(new ArrayList<>());

  /** What the client sent and received. */
  private record Exchange(String requestId, String method, String path, int status) {}

  /** Where the adapter says the WAR answers: plain HTTP, at the context root. */
  @ArquillianResource private URL deploymentUrl;

  private final int httpPort = TestTls.requiredPort("it.http.port");
  private final int httpsPort = TestTls.requiredPort("it.https.port");

  /** The same host and path as the adapter reports, on the container's TLS listener. */
  @Override
  protected URI baseUri() {
    try {
      return new URI("https", null, tlsHost(), httpsPort, deploymentUrl.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected HttpClient client() {
    return HTTPS;
  }

  /** The host the TLS checks connect to (the certificate names both localhost and 127.0.0.1). */
  public String tlsHost() {
    return deploymentUrl.getHost();
  }

  public int tlsPort() {
    return httpsPort;
  }

  public SSLContext tlsContext() {
    return TLS;
  }

  @Override
  protected void observe(HttpRequest request, Reply reply) {
    reply
        .header("X-Request-Id")
        .ifPresent(
            id ->
                EXCHANGES.add(
                    new Exchange(
                        id, request.method(), request.uri().getRawPath(), reply.status())));
  }

  /**
   * The requests the contract leaves out, each checked against the default audit trail (the
   * server's log directory, named after the context): an unknown path, a HEAD, a method no resource
   * has, a public path, a refusal and a success. Each gets exactly one event, with the method as
   * sent, and one completion with the status the client received.
   */
  @Test
  void recordsOneAuditEventWithTheFinalStatusForEachRequest() throws Exception {
    HttpProbe probe = new HttpProbe(this::baseUri, this::client);
    List<Exchange> exchanges = new ArrayList<>();
    for (HttpRequest.Builder request :
        List.of(
            probe.get("orders").header("X-API-Key", TestKeys.READ),
            probe.get("no-such-resource").header("X-API-Key", TestKeys.READ),
            probe
                .get("orders")
                .header("X-API-Key", TestKeys.READ)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            probe
                .get("orders")
                .header("X-API-Key", TestKeys.READ)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")),
            probe.get("health"),
            probe.get("orders"),
            probe.post("orders", "").header("X-API-Key", TestKeys.READ))) {
      HttpRequest built = request.build();
      HttpResponse<String> response = HTTPS.send(built, HttpResponse.BodyHandlers.ofString());
      String id =
          response
              .headers()
              .firstValue("X-Request-Id")
              .orElseThrow(
                  () ->
                      new AssertionError(
                          built.method()
                              + " "
                              + built.uri()
                              + " answered "
                              + response.statusCode()
                              + " without X-Request-Id"));
      exchanges.add(
          new Exchange(id, built.method(), built.uri().getRawPath(), response.statusCode()));
    }
    // What the trail must then show: the statuses themselves are the contract's, checked here only
    // where
    // every wiring agrees (the unknown path and method get 404, 405 or 403 depending on the
    // wiring).
    assertEquals(
        List.of(200, 200, 200, 401, 403),
        List.of(
            exchanges.get(0).status(),
            exchanges.get(2).status(),
            exchanges.get(4).status(),
            exchanges.get(5).status(),
            exchanges.get(6).status()),
        exchanges::toString);
    assertAudited(ServerAuditTrail.of(deploymentUrl.getPath()), exchanges);
  }

  /** Every exchange of the class's tests, once they have all run (the deployment is still up). */
  @AfterAll
  static void everyRequestIdAClientReceivedNamesOneAuditEvent() throws Exception {
    List<Exchange> all;
    synchronized (EXCHANGES) {
      all = List.copyOf(EXCHANGES);
      EXCHANGES.clear();
    }
    assertTrue(all.size() >= 20, "the contract's exchanges were not observed: " + all.size());
    assertAudited(ServerAuditTrail.of("/"), all);
  }

  /**
   * Each exchange has exactly one event, with the method the client sent, and exactly one
   * completion with the status the client received; completions come after the response, so the
   * trail is read until they are all there (or 15 s).
   */
  private static void assertAudited(ServerAuditTrail trail, List<Exchange> exchanges)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<String> problems;
    do {
      Map<String, ServerAuditTrail.Records> records = trail.byRequestId();
      problems = new ArrayList<>();
      for (Exchange exchange : exchanges) {
        ServerAuditTrail.Records of = records.get(exchange.requestId());
        if (of == null) {
          problems.add(exchange + ": no audit record");
        } else if (of.events().size() != 1 || of.completions().size() != 1) {
          problems.add(
              exchange
                  + ": "
                  + of.events().size()
                  + " events and "
                  + of.completions().size()
                  + " completions, expected one of each: "
                  + of);
        } else if (of.finalStatus() != exchange.status()
            || !exchange.method().equals(of.method())) {
          problems.add(
              exchange
                  + ": recorded as "
                  + of.method()
                  + " ending "
                  + of.finalStatus()
                  + ": "
                  + of);
        }
      }
      if (problems.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        problems.size()
            + " of "
            + exchanges.size()
            + " requests not audited as one event with"
            + " their final status in "
            + trail.files()
            + ":\n"
            + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
  }

  @Test
  void servesTheContractOverTls12Or13AtTheContextRoot() throws Exception {
    HttpResponse<String> response =
        HTTPS.send(
            HttpRequest.newBuilder(baseUri().resolve("health"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String protocol = response.sslSession().orElseThrow().getProtocol();
    assertAll(
        () -> assertEquals("/", deploymentUrl.getPath()),
        () -> assertEquals(200, response.statusCode()),
        () -> assertEquals("{\"status\":\"UP\"}", response.body()),
        () ->
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(protocol), "negotiated " + protocol));
  }

  @Test
  void refusesPlainHttpWithAValidKeyAndNeverRedirects() throws Exception {
    URI plain = deploymentUrl.toURI();
    assertAll(
        () -> assertEquals("http", plain.getScheme()),
        () -> assertEquals(httpPort, plain.getPort()));
    // The plain client follows no redirect: a 3xx would fail here instead of resending the key.
    HttpProbe probe = HttpProbe.plain(() -> plain);
    assertHttpsRequired(probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ)));
    assertHttpsRequired(probe.send(probe.post("orders", "").header("X-API-Key", TestKeys.WRITE)));
  }

  /**
   * Decisions and validation times reach the server's own metrics registry with no configuration at
   * all: Micrometer (WildFly's micrometer subsystem) or MicroProfile Metrics (Payara), read by the
   * WAR's probe as the application would read them.
   */
  @Test
  void countsDecisionsAndValidationsInTheServersMetrics() throws Exception {
    long unknownBefore = metric("nimbus.auth.decisions", "outcome=denied", "reason=UNKNOWN");
    long missingBefore = metric("nimbus.auth.decisions", "outcome=denied", "reason=MISSING_KEY");
    long invalidBefore = metric("nimbus.auth.validation", "result=invalid");
    HttpProbe probe = new HttpProbe(this::baseUri, this::client);
    for (int i = 0; i < 3; i++) {
      assertEquals(
          401, probe.send(probe.get("orders").header("X-API-Key", TestKeys.UNKNOWN)).status());
    }
    assertEquals(401, probe.send(probe.get("orders")).status());
    assertAll(
        () ->
            assertEquals(
                unknownBefore + 3,
                metric("nimbus.auth.decisions", "outcome=denied", "reason=UNKNOWN")),
        () ->
            assertEquals(
                missingBefore + 1,
                metric("nimbus.auth.decisions", "outcome=denied", "reason=MISSING_KEY")),
        () -> assertEquals(invalidBefore + 3, metric("nimbus.auth.validation", "result=invalid")));
  }

  /**
   * The server runs on the Java feature version the failsafe execution expects ({@code
   * it.expected.java}, when set): the WildFly run on Java 25 proves it really was.
   */
  @Test
  void runsOnTheExpectedJava() throws Exception {
    String expected = System.getProperty("it.expected.java", "");
    HttpResponse<String> response = probe("it-runtime");
    assertTrue(response.body().matches("java=\\d+ servlet=\\d+\\.\\d+"), response.body());
    if (!expected.isEmpty()) {
      assertTrue(
          response.body().startsWith("java=" + expected + " "),
          "expected Java " + expected + ": " + response.body());
    }
  }

  /**
   * A GET of one of the WAR's test-only probes, with a valid key (the filter wirings protect them
   * too).
   */
  private HttpResponse<String> probe(String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        HTTPS.send(
            HttpRequest.newBuilder(baseUri().resolve(pathAndQuery))
                .header("X-API-Key", TestKeys.READ)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  /**
   * What the server's registry holds for one meter, through the WAR's test-only probe; -1 if
   * absent.
   */
  private long metric(String name, String... tags) throws Exception {
    StringBuilder query = new StringBuilder("it-metrics?name=").append(name);
    for (String tag : tags) {
      query.append("&tag=").append(tag);
    }
    HttpResponse<String> response = probe(query.toString());
    String[] words = response.body().split(" ");
    assertTrue(
        List.of("micrometer", "microprofile").contains(words[0]),
        "no metrics library in the server: " + response.body());
    long count = Long.parseLong(words[1].strip());
    assertTrue(
        count >= 0,
        name + " " + List.of(tags) + " is not in the server's registry: " + response.body());
    return count;
  }
}
