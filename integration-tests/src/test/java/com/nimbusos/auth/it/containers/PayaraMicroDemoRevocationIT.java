package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.contract.TrialSet;
import com.nimbusos.auth.sample.Caller;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersApplication;
import com.nimbusos.auth.sample.OrdersResource;
import com.nimbusos.auth.sample.demo.DemoSetup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's promises, checked on the demo itself: Payara Micro started as {@code ./mvnw -Pdemo
 * package} starts it (the demo's {@code web.xml}, its JSON key store and certificate from {@code
 * DemoSetup}, the same system properties, preboot commands and default poll; {@link
 * #theDemoProfileStartsMicroAsThisTestDoes} keeps the two alike). It serves the certificate made at
 * its start, not Micro's stock one; offers TLS 1.2 and 1.3 with forward-secret AEAD suites only
 * ({@link TlsChecks}); answers {@code /health} from the application; and failure throttling off, or
 * the refusals of a hundred trials from one address would soon be answered 429 without a look at
 * the key), and keys revoked by another process (this one, through the admin CLI's {@link
 * KeyManager}) while clients keep calling {@code GET /orders} with them over HTTPS. Each trial
 * records the last request still answered 200 after the revocation returned, by when it was sent:
 * p100 ≤ 20 ms, or inconclusive under heavy CPU steal; under any steal, less than the 250 ms poll
 * could explain.
 */
class PayaraMicroDemoRevocationIT implements TlsChecks {

  /**
   * What the demo profile passes to Micro beyond ports and paths (integration-tests/pom.xml,
   * execution demo-run).
   */
  private static final List<String> DEMO_FLAGS =
      List.of(
          "-Djavax.net.ssl.keyStorePassword=" + DemoSetup.KEYSTORE_PASSWORD,
          "--sslcert",
          DemoSetup.CERTIFICATE_ALIAS,
          "--prebootcommandfile",
          "-Dnimbus.auth.environment=sandbox",
          "-Dnimbus.auth.store=json-file");

  private static final Duration MARGIN = Duration.ofMillis(30);
  private static Process micro;
  private static Path dir;
  private static Path log;
  private static int httpsPort;
  private static List<CreatedKey> keys;

  /** Trusts exactly the certificate DemoSetup made for this run. */
  private static javax.net.ssl.SSLContext demoTrust;

  @BeforeAll
  static void startTheDemo() throws Exception {
    Path microDir = Path.of(TestTls.requiredProperty("it.micro.dir"));
    dir = microDir.resolve("demo-revocation");
    Files.createDirectories(dir);
    PrintStream out = System.out;
    System.setOut(
        new PrintStream(
            OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)); // it prints keys
    try {
      DemoSetup.main(new String[] {dir.toString()});
    } finally {
      System.setOut(out);
    }
    demoTrust = trusting(demoCertificate());
    KeyManager admin =
        new KeyManager(JsonFileKeyStore.open(dir.resolve("keys.json")), KeyHasher.sha256());
    keys = new ArrayList<>();
    for (int i = 0; i < TrialSet.trials(120); i++) {
      keys.add(admin.create("demo-partner", Environment.SANDBOX, Set.of("orders:read"), null));
    }
    Path war = dir.resolve("demo.war");
    demoWar().as(ZipExporter.class).exportTo(war.toFile(), true);
    httpsPort = freePort();
    log = dir.resolve("micro.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dnimbus.auth.environment=sandbox",
            "-Dnimbus.auth.store=json-file",
            "-Dnimbus.auth.store.path=" + dir.resolve("keys.json"),
            "-Dnimbus.auth.throttle.max-failures=0",
            "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
            "-Djavax.net.ssl.keyStore=" + dir.resolve(DemoSetup.KEYSTORE),
            "-Djavax.net.ssl.keyStorePassword=" + DemoSetup.KEYSTORE_PASSWORD,
            "-jar",
            microDir.resolve("payara-micro-ee10.jar").toString(),
            "--nocluster",
            "--sslcert",
            DemoSetup.CERTIFICATE_ALIAS,
            "--prebootcommandfile",
            Path.of("src", "demo", "payara", "preboot-commands.asadmin")
                .toAbsolutePath()
                .toString(),
            "--port",
            String.valueOf(freePort()),
            "--sslport",
            String.valueOf(httpsPort),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/");
    micro =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!(Files.exists(log)
        && Files.readString(log, StandardCharsets.ISO_8859_1).contains(" ready in "))) {
      if (!micro.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the demo did not start, see " + log);
      }
      Thread.sleep(250);
    }
  }

  /**
   * The demo's WAR as the demo profile packs it: the sample, the three library jars, {@code
   * src/demo/webapp}.
   */
  private static WebArchive demoWar() {
    Path webInf = Path.of("src", "demo", "webapp", "WEB-INF");
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "demo.war")
            .addClasses(
                OrdersApplication.class, OrdersResource.class, HealthResource.class, Caller.class)
            .setWebXML(webInf.resolve("web.xml").toFile())
            .addAsWebInfResource(webInf.resolve("beans.xml").toFile(), "beans.xml");
    for (Wiring.Library library : Wiring.Library.values()) {
      war.addAsLibrary(library.archive());
    }
    return war;
  }

  @AfterAll
  static void stopTheDemo() throws Exception {
    if (micro != null) {
      micro.destroy();
      if (!micro.waitFor(30, TimeUnit.SECONDS)) {
        micro.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (log == null || !Files.exists(log)) {
      return;
    }
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    for (CreatedKey key : keys) {
      if (output.contains(key.key()) || output.contains(key.record().hashHex())) {
        throw new AssertionError("a demo key or its hash reached Payara Micro's log " + log);
      }
    }
  }

  @Override
  public String tlsHost() {
    return "localhost";
  }

  @Override
  public int tlsPort() {
    return httpsPort;
  }

  @Override
  public javax.net.ssl.SSLContext tlsContext() {
    return demoTrust;
  }

  /**
   * The server presents the certificate DemoSetup made at this start (a client trusting only it
   * connects, by name), not the one in Micro's jar, whose private key every download holds.
   */
  @Test
  void servesTheCertificateMadeAtItsStartNotPayarasStockOne() throws Exception {
    java.security.cert.Certificate served =
        TestTls.session(demoTrust, "localhost", httpsPort, "TLSv1.3").getPeerCertificates()[0];
    assertEquals(demoCertificate(), served);
    java.security.KeyStore stock = java.security.KeyStore.getInstance("PKCS12");
    Path jar = Path.of(TestTls.requiredProperty("it.micro.dir")).resolve("payara-micro-ee10.jar");
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile());
        java.io.InputStream in =
            zip.getInputStream(zip.getEntry("MICRO-INF/domain/keystore.p12"))) {
      stock.load(in, "changeit".toCharArray());
    }
    java.security.cert.Certificate stockCertificate = stock.getCertificate("s1as");
    org.junit.jupiter.api.Assertions.assertNotNull(
        stockCertificate, "Micro's stock certificate moved: adapt the test");
    org.junit.jupiter.api.Assertions.assertNotEquals(
        stockCertificate.getPublicKey(), served.getPublicKey());
  }

  /**
   * {@code /health} is the application's own {@code HealthResource}, behind the Nimbus filter
   * (which adds {@code X-Request-Id}): Micro's built-in health endpoint, which would answer first
   * at context root {@code /}, is off.
   */
  @Test
  void healthIsAnsweredByTheApplicationsOwnResource() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(demoTrust)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals(new HealthResource().health(), health.body());
    org.junit.jupiter.api.Assertions.assertTrue(
        health.headers().firstValue("X-Request-Id").orElse("").startsWith("req_"),
        "no X-Request-Id: not the application's resource behind Nimbus Auth");
  }

  /** The demo profile starts Micro with the flags this test starts it with. */
  @Test
  void theDemoProfileStartsMicroAsThisTestDoes() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    String demoRun = pom.substring(pom.indexOf("<id>demo-run</id>"));
    for (String flag : DEMO_FLAGS) {
      org.junit.jupiter.api.Assertions.assertTrue(
          demoRun.contains("<argument>" + flag + "</argument>"), flag);
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        demoRun.contains(
            "<argument>-Djavax.net.ssl.keyStore=${demo.dir}/"
                + DemoSetup.KEYSTORE
                + "</argument>"));
    org.junit.jupiter.api.Assertions.assertTrue(
        demoRun.contains(
            "<argument>${project.basedir}/src/demo/payara/preboot-commands.asadmin</argument>"));
  }

  private static java.security.cert.Certificate demoCertificate() throws Exception {
    try (java.io.InputStream in = Files.newInputStream(dir.resolve(DemoSetup.CERTIFICATE))) {
      return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static javax.net.ssl.SSLContext trusting(java.security.cert.Certificate certificate)
      throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("demo", certificate);
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  @Test
  void aRevokedKeyIsRefusedWithin20MillisecondsOfTheRevocationReturning() throws Exception {
    KeyManager admin =
        new KeyManager(JsonFileKeyStore.open(dir.resolve("keys.json")), KeyHasher.sha256());
    TrialSet bySend = new TrialSet("demo on Payara Micro, HTTPS, last 200 by when it was sent");
    TrialSet byAnswer =
        new TrialSet("demo on Payara Micro, HTTPS, last 200 by when it was answered");
    for (CreatedKey key : keys) {
      try (Clients clients = new Clients(key.key(), 2)) {
        clients.awaitAllowed(Duration.ofSeconds(10));
        admin.revoke(key.record().keyId());
        long returned = System.nanoTime();
        clients.awaitRefused(Duration.ofSeconds(5), MARGIN);
        assertNull(clients.surprise.get());
        bySend.add(clients.lastAllowedSent - returned);
        byAnswer.add(clients.lastAllowedAnswered - returned);
      }
    }
    byAnswer.report();
    bySend.check(null, Duration.ofMillis(20), Duration.ofMillis(100));
  }

  /** Clients calling {@code GET /orders} with one key, back to back, each on its own connection. */
  private static final class Clients implements AutoCloseable {
    final AtomicReference<String> surprise = new AtomicReference<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean running = true;
    volatile long lastAllowedSent = Long.MIN_VALUE / 2;
    volatile long lastAllowedAnswered = Long.MIN_VALUE / 2;
    volatile int refusedBy;

    Clients(String key, int count) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/orders"))
              .header("X-API-Key", key)
              .timeout(Duration.ofSeconds(10))
              .build();
      for (int i = 0; i < count; i++) {
        HttpClient client =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(demoTrust)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        Thread thread = new Thread(() -> call(client, request), "demo-client");
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void call(HttpClient client, HttpRequest request) {
      boolean refused = false;
      while (running) {
        long sent = System.nanoTime();
        int status;
        try {
          status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
          surprise.compareAndSet(null, e.toString());
          return;
        }
        long answered = System.nanoTime();
        if (status == 200) {
          synchronized (this) {
            lastAllowedSent = Math.max(lastAllowedSent, sent);
            lastAllowedAnswered = Math.max(lastAllowedAnswered, answered);
          }
        } else if (status == 401) {
          if (!refused) {
            refused = true;
            synchronized (this) {
              refusedBy++;
            }
          }
        } else {
          surprise.compareAndSet(null, "status " + status);
        }
      }
    }

    void awaitAllowed(Duration timeout) throws InterruptedException {
      long since = System.nanoTime();
      long deadline = since + timeout.toNanos();
      while (lastAllowedSent - since < 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the key was never allowed" + (surprise.get() == null ? "" : ": " + surprise.get()));
        }
        Thread.sleep(1);
      }
    }

    void awaitRefused(Duration timeout, Duration margin) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (refusedBy < threads.size()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the revoked key was still allowed after " + timeout);
        }
        Thread.sleep(1);
      }
      Thread.sleep(margin.toMillis());
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      for (Thread thread : threads) {
        thread.join(10_000);
      }
      assertEquals(threads.size(), refusedBy, "every client was refused");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
