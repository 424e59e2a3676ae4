package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.ApiKeyContract;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.LogCapture;
import java.net.URI;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, against the JAX-RS feature configured by application properties on Jersey. */
@ExtendWith(LogCapture.class)
class JaxrsContractTest extends ApiKeyContract {

  private static JerseyApp app;

  @BeforeAll
  static void start() throws Exception {
    app =
        JerseyApp.start(
            new ResourceConfig(OrdersResource.class, HealthResource.class, NimbusAuthFeature.class)
                .addProperties(new java.util.HashMap<>(ContractApp.PROPERTIES))
                // The log sink, named: LogCapture proves that audit lines carry no key.
                .property("nimbus.auth.audit.sink", "logging"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Override
  protected URI baseUri() {
    return app.baseUri();
  }
}
