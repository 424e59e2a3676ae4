package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.AppUnderTest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.test.JerseyTest;
import org.glassfish.jersey.test.TestProperties;

/**
 * A Jersey application under the Jersey test framework (Grizzly, real HTTP on a free loopback
 * port).
 */
final class JerseyApp extends JerseyTest implements AppUnderTest {

  private JerseyApp(ResourceConfig config) {
    super(config);
  }

  /**
   * The contract app: {@link OrdersResource} and {@link HealthResource} behind the feature,
   * configured by {@code properties}.
   */
  static ResourceConfig contract(Map<String, String> properties) {
    return new ResourceConfig(OrdersResource.class, HealthResource.class, NimbusAuthFeature.class)
        .addProperties(new HashMap<>(properties));
  }

  static JerseyApp start(ResourceConfig config) throws Exception {
    config.property("jersey.config.server.wadl.disableWadl", true);
    JerseyApp app = new JerseyApp(config);
    app.setUp();
    return app;
  }

  @Override
  protected URI getBaseUri() {
    return URI.create("http://127.0.0.1:" + getPort() + "/");
  }

  @Override
  public URI baseUri() {
    return getBaseUri();
  }

  @Override
  public void close() throws Exception {
    tearDown();
  }

  static {
    System.setProperty(TestProperties.CONTAINER_PORT, "0");
  }
}
