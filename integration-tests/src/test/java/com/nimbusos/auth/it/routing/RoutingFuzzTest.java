package com.nimbusos.auth.it.routing;

import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusos.auth.contract.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the request method and raw target through the whole in-process stack ({@link
 * InProcessStack}: Jetty, Nimbus Auth, Jersey, the probe) and judges each reply with the {@link
 * RoutingOracle}, as the routing corpus does in the containers.
 *
 * <p>An input is text: its first byte picks the key and whether CORS preflight headers are sent
 * ({@code '0'} none, {@code '1'} READ, {@code '2'} WRITE, {@code '3'} UNSCOPED; {@code '4'} to
 * {@code '7'} the same with {@code Origin} and {@code Access-Control-Request-Method}), the method
 * runs to the first space and the target is the rest (CR and LF are dropped: the fuzzer chooses the
 * request line, not the headers). For example {@code 0GET /probe/%2e%2e/public/x}. A reply that
 * shows nothing of the application ran (Jetty answering by itself before any filter, such as its
 * {@code 301} for a target that starts with {@code ?}) is a refusal: unlike the corpus, fuzzed
 * inputs cannot be listed per container in advance. The normal test run replays the checked-in
 * inputs under {@code src/test/resources/.../RoutingFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes
 * for real (see CONTRIBUTING.md).
 */
class RoutingFuzzTest {

  private static InProcessStack filterInFront;
  private static InProcessStack jaxrsAlone;

  @FuzzTest(maxDuration = "30s")
  void filterInFrontOfJaxrsServesOnlyWhatItDecided(byte[] input) throws Exception {
    if (filterInFront == null) {
      filterInFront = InProcessStack.start(InProcessStack.Wiring.FILTER_IN_FRONT_OF_JAXRS);
    }
    judge(filterInFront, input);
  }

  @FuzzTest(maxDuration = "30s")
  void jaxrsAloneServesOnlyWhatItDecided(byte[] input) throws Exception {
    if (jaxrsAlone == null) {
      jaxrsAlone = InProcessStack.start(InProcessStack.Wiring.JAXRS_ALONE);
    }
    judge(jaxrsAlone, input);
  }

  @AfterAll
  static void stop() throws Exception {
    for (InProcessStack stack : new InProcessStack[] {filterInFront, jaxrsAlone}) {
      if (stack != null) {
        stack.close();
      }
    }
    filterInFront = null;
    jaxrsAlone = null;
  }

  private static void judge(InProcessStack stack, byte[] input) throws Exception {
    int selector = input.length == 0 ? 0 : (input[0] & 0xff) % 8;
    ProbeKey key = ProbeKey.values()[selector % 4];
    boolean cors = selector >= 4;
    ByteArrayOutputStream method = new ByteArrayOutputStream();
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    boolean inTarget = false;
    for (int i = 1; i < input.length; i++) {
      byte b = input[i];
      if (b == '\r' || b == '\n') {
        continue;
      }
      if (!inTarget && b == ' ') {
        inTarget = true;
      } else {
        (inTarget ? target : method).write(b);
      }
    }
    String methodText = method.size() == 0 ? "GET" : method.toString(StandardCharsets.ISO_8859_1);
    String upper = methodText.toUpperCase(Locale.ROOT);
    if (upper.equals("CONNECT") || upper.equals("PRI")) {
      return; // tunnels and the HTTP/2 preface: not requests for the application
    }
    byte[] targetBytes = target.size() == 0 ? new byte[] {'/'} : target.toByteArray();

    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(methodText.getBytes(StandardCharsets.ISO_8859_1));
    request.write(' ');
    request.writeBytes(targetBytes);
    ascii(request, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if (key.key() != null) {
      ascii(request, "X-API-Key: " + key.key() + "\r\n");
    }
    if (cors) {
      ascii(request, "Origin: https://app.example\r\nAccess-Control-Request-Method: PUT\r\n");
    }
    if (!methodText.equals("GET") && !methodText.equals("HEAD")) {
      ascii(request, "Content-Length: 0\r\n");
    }
    ascii(request, "\r\n");

    RoutingOracle.Sent sent =
        new RoutingOracle.Sent(
            methodText, new String(targetBytes, StandardCharsets.ISO_8859_1), key);
    Reply reply = stack.exchange(request.toByteArray(), sent.head());
    List<String> violations = RoutingOracle.violations(sent, reply, stack::audit);
    if (!violations.isEmpty() && !RoutingOracle.nothingRan(reply)) {
      fail(
          sent
              + (cors ? " with CORS preflight headers" : "")
              + ": "
              + String.join("; ", violations)
              + "\n  reply: "
              + reply);
    }
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
