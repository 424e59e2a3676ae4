package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusos.auth.contract.TestKeys;
import com.nimbusos.auth.it.containers.app.BeanKeyValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Run by its own failsafe execution after a container's suites, once the server has stopped: the
 * server's log (the build empties its directory before the server starts) holds no fixture key, nor
 * a key's full SHA-256. It must also show that the contract ran there, with Nimbus Auth logging at
 * every level: an empty or wrong log proves nothing.
 */
class ServerLogCheckIT {

  private final String server = TestTls.requiredProperty("it.server.name");
  private final Path logDir = Path.of(TestTls.requiredProperty("it.server.log.dir"));

  @Test
  void serverLogHoldsNoPresentedKey() {
    Path serverLog = logDir.resolve("server.log");
    assertTrue(Files.isRegularFile(serverLog), server + " wrote no log file at " + serverLog);
    String log = readLogs();

    // Evidence that this log is the one the contract's deployments wrote to: each validator failure
    // the
    // contract provokes is logged (with the key redacted), and so is each adapter's start.
    assertTrue(
        count(log, "Nimbus Auth servlet filter") + count(log, "Nimbus Auth JAX-RS feature active")
            > 0,
        server + " log shows no Nimbus Auth adapter starting: is it the right file?");
    assertTrue(
        count(log, "validator from CDI bean " + BeanKeyValidator.class.getName()) > 0,
        server
            + " log shows no start-up line of the zero-configuration wiring naming its CDI validator bean");
    if (server.equals("WildFly")) {
      // WildFly starts filters at their first request, on a request thread ("default task-N"); the
      // start-up
      // line must come at deployment, from the filter's start-up check on a deployment thread.
      java.util.regex.Matcher line =
          java.util.regex.Pattern.compile(
                  "\\(([^)]*)\\) Nimbus Auth servlet filter '[^']*' active: ")
              .matcher(log);
      int lines = 0;
      while (line.find()) {
        lines++;
        assertTrue(
            !line.group(1).startsWith("default task-"),
            "the start-up line was logged at a request (thread "
                + line.group(1)
                + "), not at deployment");
      }
      assertTrue(lines > 0, "no servlet filter's start-up line in the WildFly log");
    }
    assertTrue(
        count(log, "could not decide") > 0 && count(log, "returned null") > 0,
        server
            + " log shows none of the validator failures the contract provokes: is it the right file?");

    List<String> leaks = new ArrayList<>();
    for (String key : TestKeys.ALL) {
      // The key itself, and (as the in-process LogCapture also demands) its full SHA-256, the
      // stored secret.
      String hash = TestKeys.sha256Hex(key);
      for (String secret : List.of(key, hash)) {
        int at = log.indexOf(secret);
        if (at >= 0) {
          String before = log.substring(Math.max(0, at - 400), at).replace(secret, "<SECRET>");
          leaks.add(
              (secret.equals(key) ? "key " : "hash of key ")
                  + key.substring(0, 8)
                  + "… ("
                  + count(log, secret)
                  + " times), first after:\n"
                  + before);
        }
      }
    }
    if (!leaks.isEmpty()) {
      fail(
          "fixture keys appear in the "
              + server
              + " log "
              + logDir
              + ":\n"
              + String.join("\n---\n", leaks));
    }
  }

  /**
   * The default audit trail every contract deployment wrote at the context root ({@code
   * ROOT.*.jsonl}, one chain across all of them and the server's restarts): closed by the last
   * undeployment, it verifies as an unsigned trail, whole and in order, and holds no fixture key
   * nor a key's SHA-256.
   */
  @Test
  void theDefaultAuditTrailVerifiesAndHoldsNoKey() throws IOException {
    ServerAuditTrail trail =
        new ServerAuditTrail(Path.of(TestTls.requiredProperty("it.audit.dir")), "ROOT");
    List<Path> files = trail.files();
    assertTrue(
        files.size() >= 2,
        server + " wrote no default audit trail of several deployments: " + files);
    com.nimbusos.auth.api.audit.trail.TrailVerifier.Verification verification =
        com.nimbusos.auth.api.audit.trail.TrailVerifier.unsigned().verifyFiles(files);
    assertTrue(verification.intact(), verification.toString());
    assertTrue(
        trail.byRequestId().size() > 100,
        "the trail holds few requests: " + verification.summary());
    StringBuilder all = new StringBuilder();
    for (Path file : files) {
      all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }
    for (String key : TestKeys.ALL) {
      assertEquals(-1, all.indexOf(key), "a fixture key is in the audit trail");
      assertEquals(
          -1,
          all.indexOf(TestKeys.sha256Hex(key)),
          "a fixture key's SHA-256 is in the audit trail");
    }
  }

  /**
   * server.log and any file it was rotated into, as bytes: keys are ASCII, whatever the log's
   * encoding.
   */
  private String readLogs() {
    try (Stream<Path> files = Files.list(logDir)) {
      StringBuilder all = new StringBuilder();
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith("server.log"))
              .sorted()
              .toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
}
