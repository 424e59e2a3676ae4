package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HostileInputContract;
import java.net.URI;
import java.util.HashMap;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The hostile-input corpus against the JAX-RS feature on Jersey (Grizzly). */
class JaxrsHostileInputTest extends HostileInputContract {

  private static JerseyApp app;

  @BeforeAll
  static void start() throws Exception {
    app =
        JerseyApp.start(
            new ResourceConfig(OrdersResource.class, HealthResource.class, NimbusAuthFeature.class)
                .addProperties(new HashMap<>(ContractApp.PROPERTIES)));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Override
  protected URI baseUri() {
    return app.baseUri();
  }

  /**
   * Jersey's Grizzly container builds a {@code java.net.URI} of the target before any filter runs,
   * and answers {@code /orders%zz} with its own 500 page. In a servlet container, the Nimbus filter
   * (or the container) sees it first.
   */
  @Override
  protected java.util.Set<String> answeredBeforeNimbus() {
    return java.util.Set.of("malformed-percent-escape");
  }
}
