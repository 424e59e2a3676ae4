package com.nimbusos.auth.contract;

import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP contract of Nimbus Auth, run over real HTTP against every adapter and every container:
 * status, headers and exact JSON body for each situation. Subclasses start a {@link ContractApp}
 * and say where it listens. Subclasses running the app in the test's own JVM add
 * {@code @ExtendWith(LogCapture.class)} to prove that no key reaches the logs; container suites
 * check the server's log file instead.
 */
public abstract class ApiKeyContract {

  private static final HttpClient PLAIN =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final HttpProbe probe = new HttpProbe(this::baseUri, this::client, this::observe);

  /**
   * Where the contract app listens, ending in {@code /}; {@code orders} and {@code health} resolve
   * against it.
   */
  protected abstract URI baseUri();

  /** Told of every exchange the contract makes; containers check the audit trail against them. */
  protected void observe(HttpRequest request, Reply reply) {}

  /**
   * The HTTP client the contract uses; containers with TLS override it to trust their certificate.
   */
  protected HttpClient client() {
    return PLAIN;
  }

  @Test
  void respondsToMissingKeyWith401() {
    assertUnauthorized(send(get("orders")));
  }

  @Test
  void respondsToEmptyKeyWith401() {
    assertUnauthorized(send(get("orders").header("X-API-Key", "")));
  }

  @Test
  void respondsToUnknownKeyWith401() {
    assertUnauthorized(send(get("orders").header("X-API-Key", TestKeys.UNKNOWN)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        TestKeys.REVOKED,
        TestKeys.EXPIRED,
        TestKeys.PRODUCTION,
        "sk_test_not a key",
        "sk_test_{}<>"
      })
  void respondsToRevokedExpiredWrongEnvironmentAndMalformedKeysExactlyAsToUnknownOnes(String key) {
    Reply unknown = send(get("orders").header("X-API-Key", TestKeys.UNKNOWN));
    Reply other = send(get("orders").header("X-API-Key", key));
    assertUnauthorized(other);
    assertEquals(unknown.withoutRequestId(), other.withoutRequestId());
  }

  @Test
  void refusesAKeyLongerThanTheLimitBeforeValidatingIt() {
    assertUnauthorized(send(get("orders").header("X-API-Key", "sk_test_" + "a".repeat(249))));
  }

  @Test
  void acceptsAValidKeyAndShowsTheCallerToTheApplication() {
    Reply reply = send(get("orders").header("X-API-Key", TestKeys.READ));
    assertOk(reply);
    assertEquals(
        "GET caller=acme-health keyId=k_read authType=API_KEY read=true write=false", reply.body());
  }

  @Test
  void announcesWhenAKeyInItsGracePeriodWillStopWorking() {
    Reply reply = send(get("orders").header("X-API-Key", TestKeys.GRACE));
    assertOk(reply);
    assertEquals(Optional.of("Thu, 01 Jan 2099 00:00:00 GMT"), reply.header("Sunset"));
    assertEquals(
        Optional.empty(), send(get("orders").header("X-API-Key", TestKeys.READ)).header("Sunset"));
  }

  @Test
  void matchesTheHeaderNameCaseInsensitively() {
    Reply reply = send(get("orders").header("x-api-key", TestKeys.READ));
    assertEquals(200, reply.status(), reply::toString);
  }

  @Test
  void respondsToAKeyLackingTheScopeWith403() {
    assertForbidden(send(post("orders", "").header("X-API-Key", TestKeys.READ)));
  }

  @Test
  void acceptsAKeyWithTheScope() {
    Reply reply = send(post("orders", "").header("X-API-Key", TestKeys.WRITE));
    assertEquals(200, reply.status(), reply::toString);
    assertEquals(
        "POST caller=acme-health keyId=k_write authType=API_KEY read=true write=true",
        reply.body());
  }

  @Test
  void rejectsTwoKeyHeadersEvenIfBothAreValid() {
    assertUnauthorized(
        send(get("orders").header("X-API-Key", TestKeys.READ).header("X-API-Key", TestKeys.READ)));
  }

  @Test
  void rejectsAValidKeyBesideAnInvalidOne() {
    assertUnauthorized(
        send(
            get("orders")
                .header("X-API-Key", TestKeys.UNKNOWN)
                .header("X-API-Key", TestKeys.WRITE)));
  }

  @Test
  void neverReadsTheKeyFromTheQueryString() {
    String query =
        "?X-API-Key=" + TestKeys.READ + "&api_key=" + TestKeys.READ + "&apiKey=" + TestKeys.READ;
    assertUnauthorized(send(get("orders" + query)));
  }

  @Test
  void neverReadsTheKeyFromAFormBody() {
    Reply reply =
        send(
            post("orders", "X-API-Key=" + TestKeys.WRITE + "&api_key=" + TestKeys.WRITE)
                .header("Content-Type", "application/x-www-form-urlencoded"));
    assertUnauthorized(reply);
  }

  @Test
  void servesPublicPathsWithoutAKeyButWithARequestId() {
    assertOk(send(get("health")));
  }

  @Test
  void failsClosedWith503WhenTheValidatorCannotDecide() {
    assertUnavailable(send(get("orders").header("X-API-Key", TestKeys.OUTAGE)));
  }

  @Test
  void failsClosedWith503WhenTheValidatorReturnsNull() {
    assertUnavailable(send(get("orders").header("X-API-Key", TestKeys.NULL_RESULT)));
  }

  @Test
  void failsClosedWith503WhenTheValidatorThrowsUnexpectedly() {
    assertUnavailable(send(get("orders").header("X-API-Key", TestKeys.CRASH)));
  }

  @Test
  void neverLetsOneRequestsCallerLeakIntoAnother() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int thread = t;
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    boolean read = (thread + i) % 3 == 0;
                    boolean none = (thread + i) % 3 == 1;
                    HttpRequest.Builder request = get("orders");
                    if (!none) {
                      request.header("X-API-Key", read ? TestKeys.READ : TestKeys.WRITE);
                    }
                    Reply reply = send(request);
                    if (none) {
                      assertUnauthorized(reply);
                    } else {
                      assertEquals(
                          read
                              ? "GET caller=acme-health keyId=k_read authType=API_KEY read=true write=false"
                              : "GET caller=acme-health keyId=k_write authType=API_KEY read=true write=true",
                          reply.body());
                    }
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> future : running) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void givesEveryRequestItsOwnId() {
    Reply first = send(get("orders"));
    Reply second = send(get("orders"));
    assertNotEquals(first.header("X-Request-Id"), second.header("X-Request-Id"));
  }

  @Test
  void neverEchoesTheKeyBack() {
    for (String key :
        List.of(TestKeys.UNKNOWN, TestKeys.REVOKED, TestKeys.OUTAGE, TestKeys.CRASH)) {
      Reply reply = send(get("orders").header("X-API-Key", key));
      assertFalse(reply.toString().contains(key), reply::toString);
    }
  }

  private HttpRequest.Builder get(String path) {
    return probe.get(path);
  }

  private HttpRequest.Builder post(String path, String body) {
    return probe.post(path, body);
  }

  private Reply send(HttpRequest.Builder request) {
    return probe.send(request);
  }
}
