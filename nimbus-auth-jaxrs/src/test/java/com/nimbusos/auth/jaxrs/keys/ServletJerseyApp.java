package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.jaxrs.ClientAddressListener;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * A Jersey application as a servlet on embedded Jetty, real HTTP on a free loopback port: the key
 * management API reads the adapters' verdict from the servlet request, as it does in WildFly and
 * Payara.
 */
final class ServletJerseyApp implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;

  private ServletJerseyApp(ResourceConfig application) throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addEventListener(new ClientAddressListener());
    context.addServlet(new ServletHolder(new ServletContainer(application)), "/*");
    server.setHandler(context);
    server.start();
  }

  static ServletJerseyApp start(ResourceConfig application) throws Exception {
    application.property("jersey.config.server.wadl.disableWadl", true);
    return new ServletJerseyApp(application);
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
