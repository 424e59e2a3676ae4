package com.nimbusos.auth.filter;

import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.KeyUsage;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.StartedApp;
import com.nimbusos.auth.contract.TestKeys;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests dispatched again inside the server, with the filter mapped to every dispatcher type: a
 * public path must not forward a caller past the key or scope checks; error pages and async
 * continuations keep the first verdict and are not audited twice.
 */
class DispatchTest {

  /** Records audit events. */
  public static final class Events implements AuditSink {
    static final List<AuditEvent> ALL = new CopyOnWriteArrayList<>();
    static final List<com.nimbusos.auth.api.audit.AuditCompletion> COMPLETED =
        new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
      ALL.add(event);
    }

    @Override
    public void complete(com.nimbusos.auth.api.audit.AuditCompletion completion) {
      COMPLETED.add(completion);
    }

    static void clear() {
      ALL.clear();
      COMPLETED.clear();
    }

    /**
     * The one completion of {@code requestId}, waiting briefly: a request completes after its
     * response has left (the filter's finally, an async cycle's end), so a previous test's may land
     * in this one's list too.
     */
    static com.nimbusos.auth.api.audit.AuditCompletion completionOf(String requestId)
        throws InterruptedException {
      for (int i = 0;
          i < 100 && COMPLETED.stream().noneMatch(c -> c.requestId().equals(requestId));
          i++) {
        Thread.sleep(20);
      }
      List<com.nimbusos.auth.api.audit.AuditCompletion> mine =
          COMPLETED.stream().filter(c -> c.requestId().equals(requestId)).toList();
      assertEquals(1, mine.size(), COMPLETED::toString);
      return mine.get(0);
    }
  }

  @RegisterExtension
  static final StartedApp<LoopbackJetty> APP = StartedApp.of(DispatchTest::start);

  private final HttpProbe probe = HttpProbe.plain(APP::baseUri);

  private static LoopbackJetty start() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder filter = new FilterHolder(ApiKeyFilter.class);
    filter.setInitParameters(ContractApp.PROPERTIES_WITH_RULES);
    filter.setInitParameter("nimbus.auth.public-paths", "/health,/public/*");
    filter.setInitParameter("nimbus.auth.audit.sink", Events.class.getName());
    context.addFilter(filter, "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(new JettyApp.OrdersServlet()), "/orders/*");
    context.addServlet(new ServletHolder(new Forward("/orders")), "/public/forward-to-orders");
    context.addServlet(new ServletHolder(new Missing()), "/missing");
    context.addServlet(new ServletHolder(new JettyApp.OrdersServlet()), "/error-page");
    ServletHolder async = new ServletHolder(new Async());
    async.setAsyncSupported(true);
    context.addServlet(async, "/async");
    context.addServlet(new ServletHolder(new Usage()), "/usage");
    filter.setAsyncSupported(true);
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(404, "/error-page");
    context.setErrorHandler(errors);
    return LoopbackJetty.start(context);
  }

  @BeforeEach
  void clear() {
    Events.clear();
  }

  @Test
  void aPublicPathCannotForwardACallerWithoutAKeyToAProtectedOne() {
    assertUnauthorized(probe.send(probe.get("public/forward-to-orders")));
  }

  @Test
  void aForwardStillAppliesTheScopeRulesOfItsTarget() throws InterruptedException {
    Reply reply =
        probe.send(probe.post("public/forward-to-orders", "").header("X-API-Key", TestKeys.READ));
    assertForbidden(reply);
    assertEquals(1, Events.ALL.size(), "one request, one event: " + Events.ALL);
    assertEquals("allowed", Events.ALL.get(0).outcome(), "the public path let it in");
    var completion = Events.completionOf(reply.header("X-Request-Id").orElseThrow());
    assertEquals(
        "denied", completion.outcome(), "the forward's target refused it, and the event says so");
    assertEquals("INSUFFICIENT_SCOPE", completion.reason());
    assertEquals(403, completion.status());
    Events.clear();
    Reply allowed =
        probe.send(probe.get("public/forward-to-orders").header("X-API-Key", TestKeys.READ));
    assertEquals(200, allowed.status(), allowed::toString);
    assertEquals(
        "GET caller=acme-health keyId=k_read authType=API_KEY read=true write=false",
        allowed.body());
  }

  @Test
  void anErrorPageKeepsTheCallerAndIsNotAuditedAgain() throws InterruptedException {
    Reply reply = probe.send(probe.get("missing").header("X-API-Key", TestKeys.READ));
    assertEquals(404, reply.status(), reply::toString);
    assertEquals(
        "GET caller=acme-health keyId=k_read authType=API_KEY read=true write=false", reply.body());
    assertEquals(1, Events.ALL.size(), Events.ALL::toString);
    assertEquals(reply.header("X-Request-Id").orElseThrow(), Events.ALL.get(0).requestId());
    var completion = Events.completionOf(reply.header("X-Request-Id").orElseThrow());
    assertEquals(404, completion.status(), "the status the client received");
    assertEquals(null, completion.outcome(), "the verdict did not change");
  }

  @Test
  void anAsyncContinuationKeepsTheCallerAndCompletesWhenItsCycleEnds() throws InterruptedException {
    Reply reply = probe.send(probe.get("async").header("X-API-Key", TestKeys.WRITE));
    assertEquals(200, reply.status(), reply::toString);
    assertEquals(
        "GET caller=acme-health keyId=k_write authType=API_KEY read=true write=true", reply.body());
    assertEquals(1, Events.ALL.size(), Events.ALL::toString);
    var completion = Events.completionOf(reply.header("X-Request-Id").orElseThrow());
    assertEquals(200, completion.status());
  }

  @Test
  void publishesPerKeyRequestCountsToTheApplication() {
    for (int i = 0; i < 3; i++) {
      probe.send(probe.get("orders").header("X-API-Key", TestKeys.WRITE));
    }
    Reply reply = probe.send(probe.get("usage").header("X-API-Key", TestKeys.WRITE));
    assertEquals(200, reply.status(), reply::toString);
    assertTrue(Long.parseLong(reply.body()) >= 4, reply.body());
  }

  /** Reads the filter's per-key counts as an application would. */
  static final class Usage extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      KeyUsage usage = (KeyUsage) getServletContext().getAttribute(KeyUsage.class.getName());
      response.getWriter().write(String.valueOf(usage.requests("k_write")));
    }
  }

  /** Forwards to a fixed path. */
  static final class Forward extends HttpServlet {
    private final String target;

    Forward(String target) {
      this.target = target;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      try {
        request.getRequestDispatcher(target).forward(request, response);
      } catch (jakarta.servlet.ServletException e) {
        throw new IOException(e);
      }
    }
  }

  /** Answers 404, which the error page renders. */
  static final class Missing extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.sendError(404);
    }
  }

  /** Continues asynchronously, dispatching to the orders servlet. */
  static final class Async extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      async.start(() -> async.dispatch("/orders"));
    }
  }
}
