package com.nimbusos.auth.jaxrs;

import java.net.URI;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.test.JerseyTest;
import org.glassfish.jersey.test.TestProperties;

/**
 * A Jersey application under the Jersey test framework (Grizzly, real HTTP on a free loopback
 * port).
 */
final class JerseyApp extends JerseyTest implements AutoCloseable {

  private JerseyApp(ResourceConfig config) {
    super(config);
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

  URI baseUri() {
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
