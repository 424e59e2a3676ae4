package com.nimbusos.auth.it.routing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusos.auth.contract.Reply;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the {@link RoutingCorpus} against an application holding the {@link
 * com.nimbusos.auth.it.routing.app.ProbeResource probe} behind Nimbus Auth, and judges every reply with the
 * {@link RoutingOracle}. Subclasses say how bytes reach the application (raw TLS sockets to a container,
 * Jetty's in-memory connector) and where its audit events are read.
 */
public abstract class RoutingCorpusContract {

  /** The {@code Host} header to send. */
  protected abstract String host();

  /**
   * Sends exactly {@code request} on a new connection.
   *
   * @return the reply, or {@code null} when the server closed the connection without one
   */
  protected abstract Reply exchange(byte[] request, boolean head) throws IOException;

  /** The audit events the application recorded for one request id. */
  protected abstract List<Audited> audit(String requestId) throws IOException;

  @TestFactory
  Stream<DynamicTest> servesEachRequestExactlyAsDecidedOrRefusesIt() {
    return RoutingCorpus.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
  }

  private void check(RoutingCorpus.Case c) throws IOException {
    Reply reply = exchange(c.request(host()), c.method().equals("HEAD"));
    List<String> violations = RoutingOracle.violations(c.sent(), reply, this::audit);
    if (!violations.isEmpty()) {
      fail(c + ": " + String.join("; ", violations) + "\n  reply: " + reply);
    }
    if (c.served()) {
      assertTrue(reply != null && reply.status() >= 200 && reply.status() < 300,
          c + ": a plain request the probe must serve -> " + reply);
    }
  }
}
