package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.trail.TrailVerifier;
import com.nimbusos.auth.contract.TestKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

/**
 * HIPAA: a client that got an answer finds its request in the audit trail, even when the server
 * dies right after. Payara Micro with the file trail ({@code nimbus.auth.audit.sink=file}, as
 * system properties) serves 64 concurrent clients and is killed with {@code SIGKILL} mid-load;
 * started again, it recovers the trail; stopped, it closes it. Then every {@code X-Request-Id} a
 * client received is in the trail, and the trail verifies.
 */
class PayaraMicroAuditKillIT {

  private static final String AUDIT_KEY = "container-audit-key-of-at-least-32-bytes-0123";
  private static final int CLIENTS = 64;
  private static final int ANSWERS_BEFORE_THE_KILL = 5_000;
  private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"(req_[0-9a-f]+)\"");

  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(trustingAnything())
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void aServerKilledMidLoadLosesNoRecordOfARequestItAnswered() throws Exception {
    Path dir = Path.of(TestTls.requiredProperty("it.micro.dir"));
    Path trail = emptyDirectory(dir.resolve("audit-kill-trail"));
    Path war = dir.resolve("audit-kill.war");
    Wiring.WEB_XML.war().as(ZipExporter.class).exportTo(war.toFile(), true);

    Micro first = Micro.start(dir, war, trail, "audit-kill-1");
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      clients.submit(
          () -> {
            while (!stop.get()) {
              try {
                HttpResponse<Void> response =
                    HTTPS.send(first.orders(), HttpResponse.BodyHandlers.discarding());
                response.headers().firstValue("X-Request-Id").ifPresent(answered::add);
              } catch (IOException e) {
                // the server is gone: this request got no answer
              }
            }
            return null;
          });
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (answered.size() < ANSWERS_BEFORE_THE_KILL && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    first.kill();
    stop.set(true);
    clients.shutdown();
    assertTrue(clients.awaitTermination(1, TimeUnit.MINUTES), "the clients did not stop");
    assertTrue(
        answered.size() >= ANSWERS_BEFORE_THE_KILL,
        "only " + answered.size() + " answers before the kill");

    Micro second =
        Micro.start(dir, war, trail, "audit-kill-2"); // recovers the trail as the filter starts
    HttpResponse<Void> after = HTTPS.send(second.orders(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, after.statusCode());
    answered.add(after.headers().firstValue("X-Request-Id").orElseThrow());
    second.stop(); // undeploys: the filter closes the trail with a close checkpoint

    List<Path> files;
    try (Stream<Path> entries = Files.list(trail)) {
      files = entries.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
    TrailVerifier.Verification verification =
        TrailVerifier.withKey(AUDIT_KEY.getBytes(StandardCharsets.UTF_8)).verifyFiles(files);
    assertTrue(verification.intact(), verification.toString());
    Set<String> recorded = new HashSet<>();
    for (Path file : files) {
      Matcher id = REQUEST_ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (id.find()) {
        recorded.add(id.group(1));
      }
    }
    Set<String> missing = new HashSet<>(answered);
    missing.removeAll(recorded);
    assertEquals(Set.of(), missing, "answered, but not in the audit trail");
  }

  /** One Payara Micro process with the file trail in {@code trail}. */
  private record Micro(Process process, int httpsPort, Path log) {

    static Micro start(Path dir, Path war, Path trail, String name) throws Exception {
      int httpsPort = freePort();
      Path log = dir.resolve(name + ".log");
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve(name + "-tmp")),
              "-Dnimbus.auth.audit.sink=file",
              "-Dnimbus.auth.audit.file=" + trail.resolve("audit"),
              "-Dnimbus.auth.audit.key=" + AUDIT_KEY,
              "-jar",
              dir.resolve("payara-micro-ee10.jar").toString(),
              "--nocluster",
              "--port",
              String.valueOf(freePort()),
              "--sslport",
              String.valueOf(httpsPort),
              "--deploy",
              war.toString(),
              "--contextroot",
              "/");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Micro micro = new Micro(process, httpsPort, log);
      micro.awaitReady();
      return micro;
    }

    HttpRequest orders() {
      return HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/orders"))
          .header("X-API-Key", TestKeys.READ)
          .timeout(Duration.ofSeconds(10))
          .build();
    }

    /** {@code SIGKILL}: no shutdown hook, no undeployment, nothing closed. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Payara Micro did not die");
    }

    /** {@code SIGTERM}: Micro undeploys the application before it exits. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("Payara Micro did not stop within 60 s, see " + log);
      }
    }

    private void awaitReady() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Payara Micro exited with " + process.exitValue() + ", see " + log);
        }
        if (Files.exists(log)
            && Files.readString(log, StandardCharsets.ISO_8859_1).contains(" ready in ")) {
          return;
        }
        Thread.sleep(250);
      }
      process.destroyForcibly();
      throw new IllegalStateException("Payara Micro not ready after 3 minutes, see " + log);
    }
  }

  private static Path emptyDirectory(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (Stream<Path> entries = Files.walk(directory)) {
        for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(entry);
        }
      }
    }
    return Files.createDirectories(directory);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Micro's built-in self-signed certificate, on loopback: trusted as it comes, for this test only.
   */
  private static SSLContext trustingAnything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
