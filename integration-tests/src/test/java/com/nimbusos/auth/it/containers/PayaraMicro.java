package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.contract.TestKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * One Payara Micro process, started as users start it ({@code java -jar payara-micro.jar --deploy …
 * --contextroot / --sslport …}) on free loopback ports, logging to {@code
 * <it.micro.dir>/<name>.log}.
 */
final class PayaraMicro {

  /** Micro's built-in self-signed certificate, on loopback: trusted as it comes, for tests only. */
  static final SSLContext TRUSTING_ANYTHING = trustingAnything();

  private final Process process;
  private final int httpsPort;
  private final Path log;

  private PayaraMicro(Process process, int httpsPort, Path log) {
    this.process = process;
    this.httpsPort = httpsPort;
    this.log = log;
  }

  /**
   * Starts Micro {@code jar} (a file in {@code it.micro.dir}) on {@code java} with {@code archive}
   * at {@code /}, and waits until it is ready.
   */
  static PayaraMicro start(String jar, String java, String name, WebArchive archive)
      throws Exception {
    Path dir = Path.of(TestTls.requiredProperty("it.micro.dir"));
    Path war = dir.resolve(name + ".war");
    archive.as(ZipExporter.class).exportTo(war.toFile(), true);
    int httpPort = freePort();
    int httpsPort = freePort();
    Path log = dir.resolve(name + ".log");
    List<String> command =
        List.of(
            java,
            "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve(name + "-tmp")),
            "-jar",
            dir.resolve(jar).toString(),
            "--nocluster",
            "--port",
            String.valueOf(httpPort),
            "--sslport",
            String.valueOf(httpsPort),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PayaraMicro micro = new PayaraMicro(process, httpsPort, log);
    micro.awaitReady(Duration.ofMinutes(3));
    return micro;
  }

  /** Micro 6 (Jakarta EE 10) on the JDK running the build. */
  static PayaraMicro startEe10(String name, WebArchive archive) throws Exception {
    return start(
        "payara-micro-ee10.jar",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        name,
        archive);
  }

  int httpsPort() {
    return httpsPort;
  }

  Path log() {
    return log;
  }

  /**
   * Stops Micro, then reads everything it logged: no fixture key and no key's full hash may be
   * there, and Nimbus Auth's start-up line naming its audit trail must (else the check would be
   * reading the wrong file).
   */
  void stopAndCheckLog() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    for (String key : TestKeys.ALL) {
      if (output.contains(key) || output.contains(TestKeys.sha256Hex(key))) {
        throw new AssertionError("a fixture key or its hash reached Payara Micro's log " + log);
      }
    }
    if (!output.contains("Nimbus Auth audit trail") && !output.contains("\"outcome\":\"denied\"")) {
      throw new AssertionError(
          "no line of Nimbus Auth's audit trail in Payara Micro's log "
              + log
              + ": is the check reading the right file?");
    }
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
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
    throw new IllegalStateException("Payara Micro not ready after " + timeout + ", see " + log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

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
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
