package com.nimbusos.auth.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.contract.LoopbackJetty;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key store validator the JAX-RS feature creates for {@code nimbus.auth.store} runs a poll
 * thread, and its JSON store a thread watching the file; when the web application stops, {@link
 * ReleaseOnUndeploy} stops both (Jersey as a servlet on Jetty, real HTTP).
 */
class ReleaseOnUndeployTest {

  @Test
  void stopsTheStoreValidatorsPollThreadWhenTheApplicationStops(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("keys.json");
    CreatedKey key =
        new KeyManager(JsonFileKeyStore.open(file), KeyHasher.sha256())
            .create("acme-health", Environment.SANDBOX, Set.of("orders:read"), null);
    ResourceConfig application =
        new ResourceConfig(OrdersResource.class)
            .register(NimbusAuthFeature.class)
            .property("nimbus.auth.environment", "sandbox")
            .property("nimbus.auth.store", "json-file")
            .property("nimbus.auth.store.path", file.toString())
            .property("nimbus.auth.require-https", "false");
    Set<Thread> before = syncThreads();
    Set<Thread> started;

    ServletContextHandler context = ServletJerseyApp.context(application);
    // The application's own class loader, as in a server: the feature registers under the loader
    // current when Jersey starts, the listener looks under the context's; they must be the same
    // one.
    ClassLoader applicationLoader =
        new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader());
    context.setClassLoader(applicationLoader);
    context.addEventListener(new ReleaseOnUndeploy());
    try (LoopbackJetty app = LoopbackJetty.start(context)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(app.baseUri().resolve("orders"))
                      .header("X-API-Key", key.key())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      started = new HashSet<>(syncThreads());
      started.removeAll(before);
      assertEquals(
          Set.of("nimbus-auth-key-sync", "nimbus-auth-key-uses", "nimbus-auth-key-watch"),
          started.stream().map(Thread::getName).collect(Collectors.toSet()),
          "the poll, the last-use writer and the watch run");
    }
    for (Thread thread : started) {
      thread.join(5_000);
      assertFalse(thread.isAlive(), thread.getName() + " outlived the application");
    }
    assertEquals(0, ReleaseOnUndeploy.registered(applicationLoader), "still registered");
  }

  private static Set<Thread> syncThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("nimbus-auth-key-"))
        .collect(Collectors.toSet());
  }
}
