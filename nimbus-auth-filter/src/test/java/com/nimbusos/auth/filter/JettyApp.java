package com.nimbusos.auth.filter;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.LoopbackJetty;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The contract app with the servlet filter, on a {@link LoopbackJetty}: {@code /orders} and {@code
 * /health} as servlets, the filter in front of them.
 */
final class JettyApp {

  private JettyApp() {}

  /** Starts the app with the filter configured by {@code initParams}. */
  static LoopbackJetty start(Map<String, String> initParams) throws Exception {
    return start(new FilterHolder(ApiKeyFilter.class), initParams, Map.of());
  }

  /** Starts the app with the filter configured by init-params and context-params. */
  static LoopbackJetty start(Map<String, String> initParams, Map<String, String> contextParams)
      throws Exception {
    return start(new FilterHolder(ApiKeyFilter.class), initParams, contextParams);
  }

  /** Starts the app with a given filter instance and no init-params. */
  static LoopbackJetty start(Filter filter) throws Exception {
    return start(new FilterHolder(filter), Map.of(), Map.of());
  }

  private static LoopbackJetty start(
      FilterHolder filter, Map<String, String> initParams, Map<String, String> contextParams)
      throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    contextParams.forEach(context::setInitParameter);
    filter.setInitParameters(initParams);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new OrdersServlet()), "/orders/*");
    context.addServlet(new ServletHolder(new HealthServlet()), "/health");
    return LoopbackJetty.start(context);
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
