package com.nimbusos.auth.it.routing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.it.routing.app.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the {@link RoutingCorpus} against an application holding the {@link
 * com.nimbusos.auth.it.routing.app.ProbeResource probe} behind Nimbus Auth, and judges every reply
 * with the {@link RoutingOracle}. Subclasses say how bytes reach the application (raw TLS sockets
 * to a container, Jetty's in-memory connector) and where its audit events are read.
 */
public abstract class RoutingCorpusContract {

  private static final Pattern ERROR_CODE =
      Pattern.compile("\\{\"error\":\\{\"code\":\"([a-z_]+)\"");

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

  /**
   * Whether the container under test answers this case itself, before any filter (so that no module
   * can give it a documented answer): then only {@link RoutingOracle#nothingRan} is required. None
   * by default.
   */
  protected boolean answeredBeforeNimbus(RoutingCorpus.Case c) {
    return false;
  }

  /**
   * Each case's answer, by line: status and who answered, written out after the run (see {@link
   * #writeAnswers}).
   */
  private final Map<Integer, String> answers = new ConcurrentSkipListMap<>();

  @TestFactory
  Stream<DynamicTest> servesEachRequestExactlyAsDecidedOrRefusesIt() {
    return RoutingCorpus.cases().stream()
        .map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
  }

  /**
   * Writes how this application answered each case to {@code target/routing-corpus/<class>.tsv}
   * (line, status, then {@code served}, Nimbus's error code, or {@code -} for the container's or
   * runtime's own answer), to compare containers: not an assertion.
   */
  @AfterEach
  void writeAnswers() throws IOException {
    if (answers.isEmpty()) {
      return;
    }
    Path dir = Files.createDirectories(Path.of("target", "routing-corpus"));
    StringBuilder text = new StringBuilder("# line\tstatus\tanswered by\n");
    answers.forEach((line, answer) -> text.append(line).append('\t').append(answer).append('\n'));
    Files.writeString(dir.resolve(getClass().getSimpleName() + ".tsv"), text);
  }

  private void check(RoutingCorpus.Case c) throws IOException {
    Reply reply = exchange(c.request(host()), c.sent().head());
    answers.put(c.line(), answer(reply));
    List<String> violations = RoutingOracle.violations(c.sent(), reply, this::audit);
    if (!violations.isEmpty() && answeredBeforeNimbus(c) && RoutingOracle.nothingRan(reply)) {
      answers.put(c.line(), answer(reply) + "\tbefore Nimbus");
      return;
    }
    if (!violations.isEmpty()) {
      fail(c + ": " + String.join("; ", violations) + "\n  reply: " + reply);
    }
    if (c.served()) {
      assertTrue(
          reply != null && reply.status() >= 200 && reply.status() < 300,
          c + ": a plain request the probe must serve -> " + reply);
    }
  }

  private static String answer(Reply reply) {
    if (reply == null) {
      return "closed\t-";
    }
    Matcher code = ERROR_CODE.matcher(reply.body());
    String by =
        reply.header(Probe.METHOD_HEADER).isPresent()
            ? "served"
            : code.lookingAt()
                ? code.group(1)
                : reply.header("X-Request-Id").isPresent() ? "-+id" : "-";
    return reply.status() + "\t" + by;
  }
}
