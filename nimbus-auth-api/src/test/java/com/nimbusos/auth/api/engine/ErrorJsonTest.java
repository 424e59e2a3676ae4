package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ErrorJsonTest {

  /**
   * What JSON-B writes for the records (checked against Yasson in the adapters' contract suites).
   */
  private static final Function<ErrorBody, String> BINDER =
      body ->
          "{\"error\":{\"code\":\""
              + body.error().code()
              + "\",\"message\":\""
              + body.error().message()
              + "\",\"requestId\":\""
              + body.error().requestId()
              + "\"}}";

  @Test
  void rendersEachErrorOnceAndFillsInTheRequestId() {
    AtomicInteger calls = new AtomicInteger();
    ErrorJson json =
        new ErrorJson(
            body -> {
              calls.incrementAndGet();
              return BINDER.apply(body);
            });
    int atStart = calls.get();
    assertEquals(AuthError.values().length, atStart);
    for (AuthError error : AuthError.values()) {
      ErrorBody body = ErrorBody.of(error, "req_0123456789abcdef01234567");
      assertEquals(BINDER.apply(body), json.write(body));
    }
    assertEquals(atStart, calls.get(), "no binder call per refusal");
  }

  @Test
  void leavesAnythingElseToTheBinder() {
    ErrorJson json = new ErrorJson(BINDER);
    ErrorBody odd =
        new ErrorBody(
            new ErrorBody.Detail("unauthorized", "Other text", "req_0123456789abcdef01234567"));
    assertEquals(BINDER.apply(odd), json.write(odd));
    ErrorBody oddId = ErrorBody.of(AuthError.FORBIDDEN, "req_\"quoted\"");
    assertEquals(BINDER.apply(oddId), json.write(oddId));
  }

  @Test
  void refusesABinderThatDoesNotWriteTheRequestIdAsIs() {
    assertThrows(IllegalStateException.class, () -> new ErrorJson(body -> "{}"));
  }

  @Test
  void neverSplicesARequestIdThatIsNotOneOfOursButLetsTheBinderEscapeIt() {
    // A binder that escapes, as JSON-B does: a spliced id would come out raw, and break out of its
    // string.
    Function<ErrorBody, String> escaping =
        body ->
            BINDER.apply(
                new ErrorBody(
                    new ErrorBody.Detail(
                        body.error().code(),
                        body.error().message(),
                        body.error().requestId().replace("\"", "\\\""))));
    ErrorJson json = new ErrorJson(escaping);
    for (String id :
        new String[] {
          "req_\"x\"",
          "req_0123456789abcdef0123456\"",
          "reX_0123456789abcdef01234567",
          "req_0123456789abcdef0123456g"
        }) {
      ErrorBody body = ErrorBody.of(AuthError.UNAUTHORIZED, id);
      assertEquals(escaping.apply(body), json.write(body), id);
    }
  }
}
