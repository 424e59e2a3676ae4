package com.nimbusos.auth.filter;

import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.StartedApp;
import com.nimbusos.auth.contract.TestKeys;
import jakarta.ejb.EJBAccessException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ApiKeyErrorServlet} as the error page of a real servlet container (Jetty, which has no
 * Jakarta Security: a filter stands in for the container calling the mechanism, and takes the
 * verdict through the mechanism's own {@code decide}). The container's refusals reach the client as
 * the documented JSON, with the request's id, and are audited with the path the client asked for.
 * The real mechanism in WildFly and Payara: {@code JakartaSecurityContainerContract}.
 */
class ApiKeyErrorServletTest {

  private static final ApiKeyAuthenticationMechanism MECHANISM =
      new ApiKeyAuthenticationMechanism();

  @RegisterExtension
  static final StartedApp<LoopbackJetty> APP = StartedApp.of(ApiKeyErrorServletTest::start);

  private final HttpProbe probe = HttpProbe.plain(APP::baseUri);

  private static LoopbackJetty start() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    ContractApp.PROPERTIES.forEach(context::setInitParameter);
    context.setInitParameter("nimbus.auth.public-paths", "/health");
    context.setInitParameter("nimbus.auth.audit.sink", DispatchTest.Events.class.getName());
    // What CDI does on WildFly and Payara: the mechanism starts and stops with the application.
    context.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent event) {
            MECHANISM.onApplicationStart(event.getServletContext());
          }

          @Override
          public void contextDestroyed(ServletContextEvent event) {
            MECHANISM.onApplicationStop();
          }
        });
    context.addFilter(
        new FilterHolder(containerStandIn()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Refusing()), "/refused/*");
    context.addServlet(new ServletHolder(new Refusing()), "/health");
    context.addServlet(new ServletHolder(ApiKeyErrorServlet.class), "/nimbus-auth/error");
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(403, "/nimbus-auth/error");
    errors.addErrorPage(418, "/nimbus-auth/error");
    errors.addErrorPage(EJBAccessException.class, "/nimbus-auth/error");
    context.setErrorHandler(errors);
    return LoopbackJetty.start(context);
  }

  @BeforeEach
  void clear() {
    DispatchTest.Events.clear();
  }

  @Test
  void answersTheContainers403ForACallerWithTheDocumentedForbiddenJsonAndTheRequestsId()
      throws InterruptedException {
    Reply reply = probe.send(probe.get("refused/403").header("X-API-Key", TestKeys.READ));
    assertForbidden(reply);
    List<AuditEvent> events = DispatchTest.Events.ALL;
    assertEquals(1, events.size(), "one request, one event: " + events);
    AuditEvent allowed = events.get(0);
    var refused = DispatchTest.Events.completionOf(reply.header("X-Request-Id").orElseThrow());
    assertAll(
        () -> assertEquals("allowed", allowed.outcome()),
        () -> assertEquals("/refused/403", allowed.path()),
        () -> assertEquals("denied", refused.outcome()),
        () -> assertEquals("INSUFFICIENT_SCOPE", refused.reason()),
        () -> assertEquals(403, refused.status()),
        () -> assertEquals(reply.header("X-Request-Id").orElseThrow(), allowed.requestId()),
        () -> assertEquals(allowed.requestId(), refused.requestId()));
  }

  @Test
  void answersAnEjbRefusalWithTheDocumentedForbiddenJson() {
    Reply reply = probe.send(probe.get("refused/ejb").header("X-API-Key", TestKeys.WRITE));
    assertForbidden(reply);
    assertTrue(!reply.body().contains("WFLYEJB"), reply::toString);
  }

  @Test
  void answersTheContainers403WithoutACallerAsAMissingKey() {
    assertUnauthorized(probe.send(probe.get("health")));
  }

  @Test
  void leavesOtherErrorsAlone() {
    Reply reply = probe.send(probe.get("refused/418").header("X-API-Key", TestKeys.READ));
    assertEquals(418, reply.status(), reply::toString);
    assertEquals("", reply.body());
  }

  @Test
  void isNoPageOfItsOwn() {
    assertEquals(
        404,
        probe.send(probe.get("nimbus-auth/error").header("X-API-Key", TestKeys.READ)).status());
  }

  @Test
  void aBadConfigurationFailsTheStartNamingTheProperty() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.setInitParameter("nimbus.auth.max-key-length", "3");
    try (LoopbackJetty broken = LoopbackJetty.start(context)) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  new ApiKeyAuthenticationMechanism()
                      .onApplicationStart(context.getServletContext()));
      assertTrue(e.getMessage().contains("nimbus.auth.max-key-length"), e::getMessage);
    }
  }

  /** Stands in for the container calling the mechanism: the mechanism's verdict, its refusals. */
  private static Filter containerStandIn() {
    return (request, response, chain) -> {
      HttpServletRequest http = (HttpServletRequest) request;
      StartedEngine runtime =
          (StartedEngine)
              http.getServletContext()
                  .getAttribute(ApiKeyAuthenticationMechanism.RUNTIME_ATTRIBUTE);
      Decision decision =
          ApiKeyAuthenticationMechanism.decide(
              runtime.engine(), http, (HttpServletResponse) response, false);
      if (decision instanceof Decision.Denied denied) {
        runtime
            .errors()
            .writeAndComplete(
                http, (HttpServletResponse) response, runtime.engine().errorResponse(denied));
        return;
      }
      runtime
          .engine()
          .successHeaders(decision)
          .forEach(((HttpServletResponse) response)::setHeader);
      chain.doFilter(request, response);
    };
  }

  /**
   * Refuses as the container would: {@code /refused/403}, {@code /refused/418}, an EJB's exception.
   */
  static final class Refusing extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws java.io.IOException {
      String path = String.valueOf(request.getPathInfo());
      if (path.equals("/ejb")) {
        throw new EJBAccessException("WFLYEJB0364: Invocation on method: record() is not allowed");
      }
      response.sendError(path.equals("/418") ? 418 : 403);
    }
  }
}
