package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.sample.ApiKeysResource;
import com.nimbusos.auth.sample.Caller;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersApplication;
import com.nimbusos.auth.sample.OrdersResource;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The "API Keys" page in a real browser (Debian's headless Chromium, driven by Selenium) against
 * the demo's WAR on Payara Micro over HTTPS: sign in with a management key, create a key on the
 * page and read it from the copy-once panel, call the protected API with it (200), revoke it on the
 * page after confirming, and see the next call refused (401) within the revocation bound. A
 * screenshot of each step is kept in {@code target/key-management-screenshots/}.
 */
class PayaraMicroKeyManagementIT {

  /**
   * The revocation bound: changes made through this JVM apply at once, other nodes see them within
   * 1 s.
   */
  private static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);

  private static final Path SCREENSHOTS = Path.of("target", "key-management-screenshots");

  private static Process micro;
  private static Path log;
  private static int httpsPort;
  private static CreatedKey manager;
  private static WebDriver browser;
  private static final List<String> SECRETS = new ArrayList<>();
  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(PayaraMicro.TRUSTING_ANYTHING)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeAll
  static void start() throws Exception {
    Path dir = Path.of(TestTls.requiredProperty("it.micro.dir"));
    Path store = dir.resolve("key-management-keys.json");
    Files.deleteIfExists(store);
    manager =
        new KeyManager(JsonFileKeyStore.open(store), KeyHasher.sha256())
            .create(
                "demo-partner",
                Environment.SANDBOX,
                Set.of("orders:read", "orders:write", "keys:manage"),
                null);
    SECRETS.add(manager.key());
    Path war = dir.resolve("key-management.war");
    demoWar().as(ZipExporter.class).exportTo(war.toFile(), true);
    httpsPort = PayaraMicro.freePort();
    log = dir.resolve("key-management.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The demo's own settings (integration-tests/pom.xml, profile demo), on free ports.
    micro =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Dnimbus.auth.environment=sandbox",
                    "-Dnimbus.auth.store=json-file",
                    "-Dnimbus.auth.store.path=" + store,
                    "-Dnimbus.auth.audit.sink=com.nimbusos.auth.jaxrs.keys.UsageAuditSink",
                    "-Djava.io.tmpdir="
                        + Files.createDirectories(dir.resolve("key-management-tmp")),
                    "-jar",
                    dir.resolve("payara-micro-ee10.jar").toString(),
                    "--nocluster",
                    "--port",
                    String.valueOf(PayaraMicro.freePort()),
                    "--sslport",
                    String.valueOf(httpsPort),
                    "--deploy",
                    war.toString(),
                    "--contextroot",
                    "/"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitReady(Duration.ofMinutes(3));
    browser = chromium();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (micro != null) {
      micro.destroy();
      if (!micro.waitFor(30, TimeUnit.SECONDS)) {
        micro.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    for (String secret : SECRETS) {
      assertFalse(output.contains(secret), "a key's secret reached Payara Micro's log " + log);
      assertFalse(
          output.contains(HexFormat.of().formatHex(KeyHasher.sha256().hash(secret))),
          "a key's hash reached the log " + log);
    }
    assertTrue(output.contains("\"reason\":\"KEY_REVOKE\""), "no management audit line in " + log);
  }

  @Test
  void createCopyCallRevokeAndTheNextCallIsRefused() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    browser.get(base() + "api-keys/page");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("management-key")));
    assertEquals("API Keys", browser.getTitle());
    screenshot("01-sign-in");

    browser.findElement(By.id("management-key")).sendKeys(manager.key());
    browser.findElement(By.id("signin-button")).click();
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(By.id("row-" + manager.record().keyId())));
    assertEquals(
        "",
        browser.findElement(By.id("management-key")).getDomProperty("value"),
        "the field forgets the key");
    screenshot("02-keys");

    browser.findElement(By.id("env-sandbox")).click();
    browser.findElement(By.cssSelector("#scope-choices input[value='orders:read']")).click();
    browser.findElement(By.id("create-button")).click();
    WebElement panel =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-panel")));
    assertTrue(panel.getText().contains("You won't be able to view it again."), panel.getText());
    String key = browser.findElement(By.id("new-key-value")).getDomProperty("value");
    SECRETS.add(key);
    assertTrue(
        key.startsWith("sk_test_") && key.length() == 46, "a sandbox key in the copy-once panel");
    String last4 = key.substring(key.length() - 4);
    WebElement revokeButton =
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[aria-label='Revoke key …" + last4 + "']")));
    screenshot("03-copy-once");

    HttpResponse<String> allowed = call(key);
    assertEquals(200, allowed.statusCode(), allowed::body);
    assertTrue(allowed.body().startsWith("GET caller=demo-partner "), allowed.body());

    browser.findElement(By.id("done-button")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("new-key-panel")));
    assertEquals(
        "",
        browser.findElement(By.id("new-key-value")).getDomProperty("value"),
        "shown once: gone from the page");

    String rowId = revokeButton.findElement(By.xpath("ancestor::tr")).getDomAttribute("id");
    assertTrue(rowId.startsWith("row-key_"), rowId);
    revokeButton.click();
    WebElement dialog =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("revoke-dialog")));
    assertTrue(dialog.getText().contains("…" + last4), dialog.getText());
    screenshot("04-confirm-revoke");
    browser.findElement(By.id("revoke-confirm")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#" + rowId + " td.state"), "revoked"));

    long revokedAt = System.nanoTime();
    HttpResponse<String> refused = call(key);
    while (refused.statusCode() != 401
        && System.nanoTime() - revokedAt < REVOCATION_BOUND.toNanos()) {
      Thread.sleep(50);
      refused = call(key);
    }
    assertEquals(401, refused.statusCode(), refused::body);
    assertTrue(refused.body().startsWith("{\"error\":{\"code\":\"unauthorized\""), refused.body());

    // The revoked key's one request shows in its chart, as the audit trail counted it.
    wait.until(
        ExpectedConditions.attributeContains(
            By.cssSelector("#" + rowId + " td.chart svg"), "aria-label", "1 request, 0 refused"));
    screenshot("05-revoked");

    JavascriptExecutor script = (JavascriptExecutor) browser;
    assertEquals(
        0L,
        script.executeScript("return localStorage.length + sessionStorage.length"),
        "nothing stored");
    assertEquals("", script.executeScript("return document.cookie"), "no cookie");
    assertFalse(
        browser.getPageSource().contains(manager.key()), "the management key is not in the page");
    List<String> problems = new ArrayList<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
        problems.add(entry.getMessage());
      }
    }
    assertEquals(
        List.of(),
        problems.stream()
            .filter(p -> p.contains("Content Security Policy") || p.contains("Uncaught"))
            .toList(),
        "the page runs under its policy without violations");
  }

  @Test
  void theOpenApiDocumentDescribesTheKeyManagementApi() throws Exception {
    HttpResponse<String> document =
        HTTPS.send(
            // The demo's filter covers every path of the server's root, Payara's /openapi included.
            HttpRequest.newBuilder(URI.create(base() + "openapi?format=JSON"))
                .header("X-API-Key", manager.key())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, document.statusCode(), document::body);
    for (String expected :
        List.of(
            "\"/api-keys/{keyId}/revoke\"",
            "\"operationId\" : \"createApiKey\"",
            "\"NimbusCreatedKey\"",
            "\"NimbusKeyUsage\"",
            "\"X-API-Key\"")) {
      assertTrue(
          document.body().replace("\":\"", "\" : \"").contains(expected),
          () -> expected + " not in " + document.body());
    }
    assertFalse(document.body().contains("/api-keys/page"), "the page is no part of the API");
  }

  /**
   * The demo's WAR: the sample app with the key management API, the demo's web.xml, the three jars.
   */
  private static WebArchive demoWar() {
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "ROOT.war")
            .addClasses(
                OrdersApplication.class,
                OrdersResource.class,
                HealthResource.class,
                Caller.class,
                ApiKeysResource.class)
            .setWebXML(new File("src/demo/webapp/WEB-INF/web.xml"))
            .addAsWebInfResource(new File("src/demo/webapp/WEB-INF/beans.xml"), "beans.xml");
    for (Wiring.Library library : Wiring.Library.values()) {
      war.addAsLibrary(library.archive());
    }
    return war;
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(onPath("chromium"));
    // Micro's own self-signed certificate, on loopback: trusted as it comes, for this test only.
    options.setAcceptInsecureCerts(true);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(onPath("chromedriver")))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** A program on {@code PATH}, so that Selenium Manager never tries to download one. */
  private static String onPath(String name) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        name + " is not on PATH: apt-get install chromium chromium-driver (.ci/run does)");
  }

  private static HttpResponse<String> call(String key) throws Exception {
    return HTTPS.send(
        HttpRequest.newBuilder(URI.create(base() + "orders")).header("X-API-Key", key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String base() {
    return "https://localhost:" + httpsPort + "/";
  }

  private static void screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!micro.isAlive()) {
        throw new IllegalStateException(
            "Payara Micro exited with " + micro.exitValue() + ", see " + log);
      }
      if (Files.exists(log)
          && Files.readString(log, StandardCharsets.ISO_8859_1).contains(" ready in ")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Payara Micro not ready after " + timeout + ", see " + log);
  }
}
