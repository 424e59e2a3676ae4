package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the checked-in hostile-input corpus ({@code hostile-inputs.tsv}) over raw sockets against
 * a {@link ContractApp}: each case must get its expected answer, documented JSON for every refusal,
 * no 5xx, and no key echoed back.
 */
public abstract class HostileInputContract {

  private static final Pattern ERROR_BODY =
      Pattern.compile(
          "\\{\"error\":\\{\"code\":\"[a-z_]+\",\"message\":\"[^\"]+\",\"requestId\":\"req_[0-9a-f]{24}\"}}");
  private static final Set<Integer> OUR_STATUSES = Set.of(400, 401, 403, 405, 429, 503);

  /** Where the contract app listens. */
  protected abstract URI baseUri();

  /** The TLS context to reach an HTTPS app, or {@code null} for plain HTTP. */
  protected SSLContext tls() {
    return null;
  }

  /** One case of the corpus. */
  public record Case(
      String name,
      String method,
      String target,
      String headers,
      String body,
      Set<String> expected) {}

  /** The corpus, parsed. */
  public static List<Case> corpus() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = HostileInputContract.class.getResourceAsStream("hostile-inputs.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t", -1);
        if (columns.length != 5) {
          throw new IllegalStateException("corpus line needs 5 tab-separated columns: " + line);
        }
        String raw = columns[3];
        int bodyAt = raw.indexOf("\\r\\n\\r\\n");
        String headers = bodyAt < 0 ? raw : raw.substring(0, bodyAt);
        String body = bodyAt < 0 ? "" : raw.substring(bodyAt + 8);
        cases.add(
            new Case(
                columns[0],
                columns[1],
                columns[2],
                headers,
                body,
                Set.of(columns[4].strip().split("\\|"))));
      }
    }
    return cases;
  }

  /**
   * Cases that the runtime under test answers before any filter can see them, so that no module can
   * give them its own answer: for these it is asserted only that nothing of the application ran (an
   * error status, or an empty body that no Nimbus decision stamped with {@code X-Request-Id}).
   * Jersey's standalone Grizzly container answers an undecodable target with 500; Payara's Grizzly
   * with an empty 200 and a logged stack trace (payara/Payara#8000).
   */
  protected Set<String> answeredBeforeNimbus() {
    return Set.of();
  }

  @TestFactory
  Stream<DynamicTest> answersEveryHostileInputSafely() throws IOException {
    return corpus().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private void check(Case c) throws IOException {
    URI base = baseUri();
    byte[] body = decode(c.body());
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(decode(c.method() + " " + c.target()));
    write(
        request,
        " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\nConnection: close\r\n");
    if (!c.headers().isEmpty()) {
      request.write(decode(c.headers()));
      write(request, "\r\n");
    }
    if (body.length > 0) {
      write(request, "Content-Length: " + body.length + "\r\n");
    }
    write(request, "\r\n");
    request.write(body);

    Reply reply = new RawHttp(base, tls()).send(request.toByteArray(), c.method().equals("HEAD"));
    if (reply == null) {
      assertTrue(c.expected().contains("reject"), c.name() + ": connection closed without a reply");
      return;
    }
    String text = reply.toString();
    for (String key : TestKeys.ALL) {
      assertFalse(text.contains(key), c.name() + ": the reply echoes a key: " + text);
    }
    int status = reply.status();
    if (answeredBeforeNimbus().contains(c.name())) {
      boolean nothingRan =
          status >= 400 || reply.body().isEmpty() && reply.header("X-Request-Id").isEmpty();
      assertTrue(nothingRan, c.name() + ": the runtime let it through: " + text);
      return;
    }
    boolean ours = OUR_STATUSES.contains(status) && ERROR_BODY.matcher(reply.body()).matches();
    if (status >= 500 && !ours) {
      fail(c.name() + ": server error " + text);
    }
    if (ours || c.method().equals("HEAD") && OUR_STATUSES.contains(status)) {
      assertTrue(c.expected().contains(String.valueOf(status)), c.name() + ": unexpected " + text);
      assertNotNull(
          reply.header("X-Request-Id").orElse(null), c.name() + ": no X-Request-Id: " + text);
      return;
    }
    if (c.expected().contains(String.valueOf(status)) && !OUR_STATUSES.contains(status)) {
      return;
    }
    // Our status without our body is the container's own refusal: acceptable only where the case
    // allows one.
    assertTrue(
        c.expected().contains("reject") && status >= 400 && status < 500,
        c.name() + ": expected " + c.expected() + ", got " + text);
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes the corpus escapes (a backslash then {@code xNN} for a raw byte, {@code r}, {@code n},
   * {@code t}, {@code 0}, or {@code u} and four hex digits for a character in UTF-8) and
   * placeholders ({@code {READ}}, {@code {A:n}}, …) into the bytes to send. Shared with other
   * raw-socket corpora.
   */
  public static byte[] decode(String text) {
    String expanded =
        text.replace("{READ}", TestKeys.READ)
            .replace("{WRITE}", TestKeys.WRITE)
            .replace("{UNKNOWN}", TestKeys.UNKNOWN);
    var matcher = Pattern.compile("\\{(A|LEN):(\\d+)}").matcher(expanded);
    StringBuilder withLengths = new StringBuilder();
    while (matcher.find()) {
      int n = Integer.parseInt(matcher.group(2));
      String value =
          matcher.group(1).equals("A")
              ? "a".repeat(n)
              : "sk_test_" + "a".repeat(Math.max(0, n - 8));
      matcher.appendReplacement(withLengths, value);
    }
    matcher.appendTail(withLengths);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String s = withLengths.toString();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch != '\\' || i + 1 >= s.length()) {
        bytes.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'r' -> bytes.write('\r');
        case 'n' -> bytes.write('\n');
        case 't' -> bytes.write('\t');
        case '0' -> bytes.write(0);
        case 'x' -> {
          bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          bytes.writeBytes(
              String.valueOf((char) Integer.parseInt(s.substring(i + 1, i + 5), 16))
                  .getBytes(StandardCharsets.UTF_8));
          i += 4;
        }
        default -> {
          bytes.write('\\');
          bytes.write(e);
        }
      }
    }
    return bytes.toByteArray();
  }
}
