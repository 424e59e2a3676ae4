package com.nimbusos.auth.contract;

import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A servlet context, built by the test, served by an embedded Jetty 12 over plain HTTP on a free
 * loopback port: how the in-process tests of every module run a servlet container.
 */
public final class LoopbackJetty implements AppUnderTest {

  private final Server server;
  private final ServerConnector connector;

  private LoopbackJetty(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts {@code context} (its context path, usually {@code /}).
   *
   * @throws Exception what the start threw (a filter or listener refusing its configuration), after
   *     stopping the server again
   */
  public static LoopbackJetty start(ServletContextHandler context) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stopping) {
        e.addSuppressed(stopping);
      }
      throw e;
    }
    return new LoopbackJetty(server, connector);
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  /** Stops the server: every context's listeners are told, its threads end. */
  @Override
  public void close() throws Exception {
    server.stop();
  }
}
