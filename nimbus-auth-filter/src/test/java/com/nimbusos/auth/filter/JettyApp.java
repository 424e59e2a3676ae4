package com.nimbusos.auth.filter;

import com.nimbusos.auth.contract.ContractApp;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The contract app on an embedded Jetty, listening on a free loopback port. */
final class JettyApp implements AutoCloseable {

  private final Server server;

  private JettyApp(Server server) {
    this.server = server;
  }

  /** Starts the app with the filter configured by {@code initParams}. */
  static JettyApp start(Map<String, String> initParams) throws Exception {
    return start(new FilterHolder(ApiKeyFilter.class), initParams, Map.of());
  }

  /** Starts the app with the filter configured by init-params and context-params. */
  static JettyApp start(Map<String, String> initParams, Map<String, String> contextParams)
      throws Exception {
    return start(new FilterHolder(ApiKeyFilter.class), initParams, contextParams);
  }

  /** Starts the app with a given filter instance and no init-params. */
  static JettyApp start(Filter filter) throws Exception {
    return start(new FilterHolder(filter), Map.of(), Map.of());
  }

  private static JettyApp start(
      FilterHolder filter, Map<String, String> initParams, Map<String, String> contextParams)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    contextParams.forEach(context::setInitParameter);
    filter.setInitParameters(initParams);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new OrdersServlet()), "/orders/*");
    context.addServlet(new ServletHolder(new HealthServlet()), "/health");
    server.setHandler(context);
    server.start();
    return new JettyApp(server);
  }

  URI baseUri() {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** {@code /orders}: describes the caller as the servlet API shows it. */
  static final class OrdersServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response
          .getWriter()
          .write(
              ContractApp.describe(
                  request.getMethod(),
                  request.getUserPrincipal(),
                  request.getAuthType(),
                  request.isUserInRole(ContractApp.READ_SCOPE),
                  request.isUserInRole(ContractApp.WRITE_SCOPE)));
    }
  }

  /** {@code /health}: public. */
  static final class HealthServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("application/json");
      response.getWriter().write("{\"status\":\"UP\"}");
    }
  }
}
