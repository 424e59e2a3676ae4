package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.TestKeys;
import com.nimbusos.auth.it.containers.app.ClassLoaderProbeServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying gives the application's class loader back: the {@link Wiring#WEB_XML} WAR is
 * deployed, serves requests on many of WildFly's pooled worker threads (which outlive it), and is
 * undeployed, 20 times; then {@link ClassLoaderProbeServlet} in a 21st deployment forces
 * collections and counts the earlier deployments' class loaders still alive. A thread-local, static
 * registry, thread or shutdown hook of the library that kept a class of the application would keep
 * the loader of every deployment: 20 alive.
 *
 * <p>At most {@value #KEPT_BY_IDLE_WORKERS} may be, and why is measured, not assumed: a heap dump
 * taken by the probe ({@code -Dit.redeploy.dump=/tmp/file.hprof}) and the paths from its GC roots
 * show the one kept loader (in five runs, always one of the earliest deployments) reachable only
 * from a parked WildFly worker thread ({@code default task-2}): JBoss Threads' {@code
 * EnhancedQueueExecutor.runThreadBody} keeps the last task it ran in a local of its frame while it
 * waits for the next, and that task's exchange leads to the deployment's Undertow {@code
 * DeploymentInfo} and class loader. Idle workers are reused last-parked first, so the deepest one
 * can keep an early deployment indefinitely; a WAR holding nothing but the probe is kept alike.
 * Nothing of Nimbus Auth was on any path. Before counting, the test also holds many workers at once
 * in requests of the last deployment, which frees most such tasks.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WildFlyRedeployIT {

  private static final String NAME = "redeploy";
  private static final int REDEPLOYMENTS = 20;

  /**
   * More requests at once than WildFly starts worker threads for one, so that many threads serve
   * each WAR.
   */
  private static final int CONCURRENT_REQUESTS = 24;

  /** More requests at once than WildFly's default worker pool has threads (16 per core). */
  private static final int EVERY_WORKER = 80;

  /**
   * What idle WildFly workers may still keep (see above); a leak of the library keeps every
   * deployment.
   */
  private static final int KEPT_BY_IDLE_WORKERS = 3;

  @ArquillianResource private Deployer deployer;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base =
      URI.create("http://127.0.0.1:" + System.getProperty("it.http.port") + "/");

  /**
   * The {@link Wiring#WEB_XML} WAR with the probe, which is public, over plain HTTP (sandbox keys
   * only): a valid key then gets its 200 through the validator, not a 403 for the scheme.
   */
  @Deployment(name = NAME, managed = false, testable = false)
  static WebArchive deployment() {
    Map<String, String> properties = new LinkedHashMap<>(Wiring.filterProperties());
    properties.put(
        "nimbus.auth.public-paths",
        properties.get("nimbus.auth.public-paths") + ",/it-class-loaders");
    properties.put("nimbus.auth.require-https", "false");
    WebArchive war = Wiring.WEB_XML.war();
    war.delete("/WEB-INF/web.xml");
    return war.setWebXML(new StringAsset(Wiring.webXml(properties)))
        .addClass(ClassLoaderProbeServlet.class);
  }

  @Test
  void twentyRedeploymentsLeaveNoClassLoaderOfTheApplicationBehind() throws Exception {
    for (int i = 1; i <= REDEPLOYMENTS; i++) {
      deployer.deploy(NAME);
      try {
        serveRequestsOnManyThreads();
        assertEquals("registered=" + i, get("it-class-loaders?register").body());
      } finally {
        deployer.undeploy(NAME);
      }
    }
    deployer.deploy(NAME);
    try {
      assertEquals("registered=" + (REDEPLOYMENTS + 1), get("it-class-loaders?register").body());
      occupyEveryWorker();
      String collected = get("it-class-loaders?collect").body();
      if (System.getProperty("it.redeploy.dump") != null) {
        get("it-class-loaders?dump=" + System.getProperty("it.redeploy.dump"));
      }
      System.out.println("WildFlyRedeployIT: " + collected);
      Matcher counted = Pattern.compile("^registered=(\\d+) alive=(\\d+)").matcher(collected);
      assertTrue(counted.find(), collected);
      assertEquals(REDEPLOYMENTS + 1, Integer.parseInt(counted.group(1)), collected);
      assertTrue(
          Integer.parseInt(counted.group(2)) <= KEPT_BY_IDLE_WORKERS,
          "class loaders of undeployed deployments still alive after forced collections: "
              + collected);
    } finally {
      get("it-class-loaders?forget");
      deployer.undeploy(NAME);
    }
  }

  /**
   * Valid, unknown and missing keys at once: every one passes through the filter and the engine
   * (request id, validator, audit, metrics) on whichever worker thread takes it.
   */
  private void serveRequestsOnManyThreads() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
    for (int i = 0; i < CONCURRENT_REQUESTS; i++) {
      String key =
          switch (i % 3) {
            case 0 -> TestKeys.READ;
            case 1 -> TestKeys.UNKNOWN;
            default -> "";
          };
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(i % 4 == 0 ? "health" : "orders"))
              .timeout(Duration.ofSeconds(30))
              .GET();
      if (!key.isEmpty()) {
        request.header("X-API-Key", key);
      }
      replies.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> reply : replies) {
      int status = reply.get().statusCode();
      if (status != 200 && status != 401) {
        throw new AssertionError("unexpected status " + status + ": " + reply.get().body());
      }
    }
  }

  /**
   * Holds every worker thread at once in a request of the current deployment, so each has run one.
   */
  private void occupyEveryWorker() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
    for (int i = 0; i < EVERY_WORKER; i++) {
      replies.add(
          client.sendAsync(
              HttpRequest.newBuilder(base.resolve("it-class-loaders?hold=500"))
                  .timeout(Duration.ofSeconds(60))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> reply : replies) {
      assertEquals("held", reply.get().body());
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpResponse<String> reply =
        client.send(
            HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, reply.statusCode(), reply.body());
    return reply;
  }
}
