package com.nimbusos.auth.it.containers;

import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.Reply;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The contract on WildFly (managed: the adapter starts and stops the server): {@link
 * Wiring#JAKARTA_SECURITY}, and what container security sees of the caller.
 */
class WildFlyJakartaSecurityIT extends JakartaSecurityContainerContract {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAKARTA_SECURITY.war();
  }

  /**
   * Measured: when the mechanism completes a refusal without reading the request's body, Undertow
   * still tries its own error page for it and logs "UT010019: Response already commited" with a
   * stack trace (the client gets our JSON all the same). The mechanism reads the body first, so the
   * log stays clean.
   */
  @Test
  void aRefusedRequestWithABodyLeavesNoErrorInTheServerLog() throws Exception {
    Path log =
        Path.of(TestTls.requiredProperty("it.wildfly.home"), "standalone", "log", "server.log");
    long start = Files.size(log);
    Reply refused =
        probe.send(
            probe.post("orders", "x".repeat(64 * 1024)).header("Content-Type", "text/plain"));
    assertUnauthorized(refused);
    // A request the validator cannot decide logs a line naming its request id: sent after the
    // refusal, it
    // shows that this is the right file and that the server got past the refusal (audit lines go to
    // the trail).
    Reply marker =
        probe.send(
            probe.get("orders").header("X-API-Key", com.nimbusos.auth.contract.TestKeys.OUTAGE));
    String requestId = marker.header("X-Request-Id").orElseThrow();
    String written = "";
    for (int i = 0; i < 50 && !written.contains(requestId); i++) {
      Thread.sleep(100);
      written = readFrom(log, start);
    }
    assertTrue(
        written.contains(requestId), "the validator failure of " + requestId + " is not in " + log);
    Thread.sleep(500);
    written = readFrom(log, start);
    assertFalse(written.contains("UT010019") || written.contains("ERROR"), written);
  }

  private static String readFrom(Path file, long offset) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(offset);
      byte[] bytes = new byte[(int) (in.length() - offset)];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
