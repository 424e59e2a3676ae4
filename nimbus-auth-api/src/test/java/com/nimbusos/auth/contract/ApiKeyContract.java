package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP contract of Nimbus Auth, run over real HTTP against every adapter and every container: status,
 * headers and exact JSON body for each situation. Subclasses start a {@link ContractApp} and say where it
 * listens.
 */
@ExtendWith(LogCapture.class)
public abstract class ApiKeyContract {

  private static final Pattern REQUEST_ID = Pattern.compile("req_[0-9a-f]{24}");
  private static final Pattern ERROR_BODY =
      Pattern.compile(
          "\\{\"error\":\\{\"code\":\"([a-z_]+)\",\"message\":\"([^\"]+)\",\"requestId\":\"(req_[0-9a-f]{24})\"}}");

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Where the contract app listens, ending in {@code /}; {@code orders} and {@code health} resolve against it. */
  protected abstract URI baseUri();

  /** The HTTP client the contract uses; containers with TLS override it to trust their certificate. */
  protected HttpClient client() {
    return client;
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
  @ValueSource(strings = {TestKeys.REVOKED, TestKeys.EXPIRED, TestKeys.PRODUCTION, "sk_test_not a key", "sk_test_{}<>"})
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
    assertEquals(200, reply.status(), reply::toString);
    assertEquals(
        "GET caller=acme-health keyId=k_read authType=API_KEY read=true write=false", reply.body());
    assertTrue(REQUEST_ID.matcher(reply.header("X-Request-Id").orElse("")).matches(), reply::toString);
  }

  @Test
  void matchesTheHeaderNameCaseInsensitively() {
    Reply reply = send(get("orders").header("x-api-key", TestKeys.READ));
    assertEquals(200, reply.status(), reply::toString);
  }

  @Test
  void respondsToAKeyLackingTheScopeWith403() {
    Reply reply = send(post("orders", "").header("X-API-Key", TestKeys.READ));
    assertError(reply, 403, "forbidden", "Insufficient permissions");
    assertTrue(reply.header("WWW-Authenticate").isEmpty(), "a 403 has no WWW-Authenticate");
  }

  @Test
  void acceptsAKeyWithTheScope() {
    Reply reply = send(post("orders", "").header("X-API-Key", TestKeys.WRITE));
    assertEquals(200, reply.status(), reply::toString);
    assertEquals("POST caller=acme-health keyId=k_write authType=API_KEY read=true write=true", reply.body());
  }

  @Test
  void rejectsTwoKeyHeadersEvenIfBothAreValid() {
    assertUnauthorized(send(get("orders").header("X-API-Key", TestKeys.READ).header("X-API-Key", TestKeys.READ)));
  }

  @Test
  void rejectsAValidKeyBesideAnInvalidOne() {
    assertUnauthorized(send(get("orders").header("X-API-Key", TestKeys.UNKNOWN).header("X-API-Key", TestKeys.WRITE)));
  }

  @Test
  void neverReadsTheKeyFromTheQueryString() {
    String query = "?X-API-Key=" + TestKeys.READ + "&api_key=" + TestKeys.READ + "&apiKey=" + TestKeys.READ;
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
    Reply reply = send(get("health"));
    assertEquals(200, reply.status(), reply::toString);
    assertTrue(REQUEST_ID.matcher(reply.header("X-Request-Id").orElse("")).matches(), reply::toString);
  }

  @Test
  void failsClosedWith503WhenTheValidatorCannotDecide() {
    assertError(send(get("orders").header("X-API-Key", TestKeys.OUTAGE)), 503, "service_unavailable",
        "Authentication is temporarily unavailable");
  }

  @Test
  void failsClosedWith503WhenTheValidatorReturnsNull() {
    assertError(send(get("orders").header("X-API-Key", TestKeys.NULL_RESULT)), 503, "service_unavailable",
        "Authentication is temporarily unavailable");
  }

  @Test
  void failsClosedWith503WhenTheValidatorThrowsUnexpectedly() {
    assertError(send(get("orders").header("X-API-Key", TestKeys.CRASH)), 503, "service_unavailable",
        "Authentication is temporarily unavailable");
  }

  @Test
  void givesEveryRequestItsOwnId() {
    Reply first = send(get("orders"));
    Reply second = send(get("orders"));
    assertNotEquals(first.header("X-Request-Id"), second.header("X-Request-Id"));
  }

  @Test
  void neverEchoesTheKeyBack() {
    for (String key : List.of(TestKeys.UNKNOWN, TestKeys.REVOKED, TestKeys.OUTAGE, TestKeys.CRASH)) {
      Reply reply = send(get("orders").header("X-API-Key", key));
      assertFalse(reply.toString().contains(key), reply::toString);
    }
  }

  /** Asserts the documented 401, with its exact body and headers. */
  protected static void assertUnauthorized(Reply reply) {
    assertError(reply, 401, "unauthorized", "Invalid or missing API key");
    assertEquals(Optional.of("ApiKey realm=\"nimbus\""), reply.header("WWW-Authenticate"), reply::toString);
  }

  /** Asserts an error reply: status, exact body, and the headers every error carries. */
  protected static void assertError(Reply reply, int status, String code, String message) {
    assertEquals(status, reply.status(), reply::toString);
    Matcher body = ERROR_BODY.matcher(reply.body());
    assertTrue(body.matches(), () -> "body is not the documented error JSON: " + reply);
    assertEquals(code, body.group(1), reply::toString);
    assertEquals(message, body.group(2), reply::toString);
    assertEquals(Optional.of(body.group(3)), reply.header("X-Request-Id"), "X-Request-Id equals the body's requestId");
    assertTrue(
        reply.header("Content-Type").orElse("").matches("application/json(;\\s*charset=(?i:utf-8))?"),
        reply::toString);
    assertEquals(Optional.of("no-store"), reply.header("Cache-Control"), reply::toString);
  }

  /** A GET of {@code path}, relative to {@link #baseUri()}. */
  protected HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(30)).GET();
  }

  /** A POST of {@code body} to {@code path}. */
  protected HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(baseUri().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Sends a request and reads the whole reply. */
  protected Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
