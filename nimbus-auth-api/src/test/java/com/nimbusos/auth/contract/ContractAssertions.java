package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Assertions on the documented responses: status, headers and the exact error body. */
public final class ContractAssertions {

  /** A request id. */
  public static final Pattern REQUEST_ID = Pattern.compile("req_[0-9a-f]{24}");

  private static final Pattern ERROR_BODY =
      Pattern.compile(
          "\\{\"error\":\\{\"code\":\"([a-z_]+)\",\"message\":\"([^\"]+)\",\"requestId\":\"(req_[0-9a-f]{24})\"}}");

  private ContractAssertions() {}

  /** Asserts the documented 401, with its exact body and headers. */
  public static void assertUnauthorized(Reply reply) {
    assertError(reply, 401, "unauthorized", "Invalid or missing API key");
    assertEquals(
        Optional.of("ApiKey realm=\"nimbus\""), reply.header("WWW-Authenticate"), reply::toString);
  }

  /** Asserts the documented 403, with its exact body and headers. */
  public static void assertForbidden(Reply reply) {
    assertError(reply, 403, "forbidden", "Insufficient permissions");
    assertTrue(reply.header("WWW-Authenticate").isEmpty(), "a 403 has no WWW-Authenticate");
  }

  /** Asserts the refusal of plain HTTP. */
  public static void assertHttpsRequired(Reply reply) {
    assertError(reply, 403, "https_required", "HTTPS is required");
    assertTrue(reply.header("Location").isEmpty(), "never redirected: a redirect resends the key");
  }

  /** Asserts the fail-closed 503. */
  public static void assertUnavailable(Reply reply) {
    assertError(reply, 503, "service_unavailable", "Authentication is temporarily unavailable");
  }

  /** Asserts a success whose {@code X-Request-Id} is a request id. */
  public static void assertOk(Reply reply) {
    assertEquals(200, reply.status(), reply::toString);
    assertTrue(
        REQUEST_ID.matcher(reply.header("X-Request-Id").orElse("")).matches(), reply::toString);
  }

  /** Asserts an error reply: status, exact body, and the headers every error carries. */
  public static void assertError(Reply reply, int status, String code, String message) {
    assertEquals(status, reply.status(), reply::toString);
    Matcher body = ERROR_BODY.matcher(reply.body());
    assertTrue(body.matches(), () -> "body is not the documented error JSON: " + reply);
    assertEquals(code, body.group(1), reply::toString);
    assertEquals(message, body.group(2), reply::toString);
    assertEquals(
        Optional.of(body.group(3)),
        reply.header("X-Request-Id"),
        "X-Request-Id equals the body's requestId");
    assertTrue(
        reply
            .header("Content-Type")
            .orElse("")
            .matches("application/json(;\\s*charset=(?i:utf-8))?"),
        reply::toString);
    assertEquals(Optional.of("no-store"), reply.header("Cache-Control"), reply::toString);
  }
}
