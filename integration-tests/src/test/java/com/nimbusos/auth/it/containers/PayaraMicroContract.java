package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.contract.ApiKeyContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on Payara Micro, started as users start it ({@code java -jar payara-micro.jar --deploy …}),
 * with the {@link Wiring#WEB_XML} WAR, over HTTPS on Micro's own listener. Subclasses pick the Micro
 * release and the JDK: Micro 6 (EE 10) on this JDK, Micro 7 (EE 11) on Java 25, which shows the jars built
 * for Java 17 / EE 10 also run on EE 11.
 */
abstract class PayaraMicroContract extends ApiKeyContract {

  private static Process micro;
  private static int httpsPort;
  private static Path log;

  /** Micro's built-in self-signed certificate, on loopback: trusted as it comes, for this test only. */
  private static final HttpClient HTTPS = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .sslContext(trustingAnything())
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  /** Starts Micro; called by each subclass's {@code @BeforeAll}. */
  static void start(String jar, String java, String name, WebArchive archive) throws Exception {
    Path dir = Path.of(TestTls.requiredProperty("it.micro.dir"));
    Path war = dir.resolve(name + ".war");
    archive.as(ZipExporter.class).exportTo(war.toFile(), true);
    int httpPort = freePort();
    httpsPort = freePort();
    log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        java, "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve(name + "-tmp")),
        "-jar", dir.resolve(jar).toString(),
        "--nocluster", "--port", String.valueOf(httpPort), "--sslport", String.valueOf(httpsPort),
        "--deploy", war.toString(), "--contextroot", "/"));
    micro = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitReady(Duration.ofMinutes(3));
  }

  /** Stops Micro, then reads everything it logged: no fixture key and no key's full hash may be there. */
  @AfterAll
  static void stop() throws Exception {
    if (micro != null) {
      micro.destroy();
      if (!micro.waitFor(30, TimeUnit.SECONDS)) {
        micro.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      micro = null;
    }
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    for (String key : com.nimbusos.auth.contract.TestKeys.ALL) {
      String hash = com.nimbusos.auth.contract.TestKeys.sha256Hex(key);
      if (output.contains(key) || output.contains(hash)) {
        throw new AssertionError("a fixture key or its hash reached Payara Micro's log " + log);
      }
    }
    if (!output.contains("\"outcome\":\"denied\"")) {
      throw new AssertionError("no audit line in Payara Micro's log " + log + ": is the check reading the right file?");
    }
  }

  @Override
  protected URI baseUri() {
    return URI.create("https://localhost:" + httpsPort + "/");
  }

  @Override
  protected HttpClient client() {
    return HTTPS;
  }

  @Test
  void deployedWithoutErrors() throws IOException {
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(-1, output.indexOf("Exception while loading the app"), "deployment failed, see " + log);
  }

  private static void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!micro.isAlive()) {
        throw new IllegalStateException("Payara Micro exited with " + micro.exitValue() + ", see " + log);
      }
      if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(" ready in ")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Payara Micro not ready after " + timeout + ", see " + log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static SSLContext trustingAnything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
