package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** {@link LoopbackJetty} serves the test's context on loopback, and stops it when it fails. */
class LoopbackJettyTest {

  @Test
  void servesTheContextOnAFreeLoopbackPortUntilClosed() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response)
                  throws IOException {
                response.getWriter().write("served " + request.getRequestURI());
              }
            }),
        "/*");
    int port;
    try (LoopbackJetty jetty = LoopbackJetty.start(context)) {
      assertEquals("127.0.0.1", jetty.baseUri().getHost());
      assertEquals("/", jetty.baseUri().getPath());
      port = jetty.baseUri().getPort();
      HttpProbe probe = HttpProbe.plain(jetty::baseUri);
      Reply reply = probe.send(probe.get("x"));
      assertEquals(200, reply.status(), reply::toString);
      assertEquals("served /x", reply.body());
    }
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  @Test
  void aContextThatFailsToStartFailsTheStartWithItsCauseAndStopsTheServer() throws Exception {
    Set<Thread> before = jettyThreads();
    IllegalStateException refusal = new IllegalStateException("refused at start");
    ServletContextHandler context = new ServletContextHandler("/");
    context.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent event) {
            throw refusal;
          }
        });
    Exception failure = assertThrows(Exception.class, () -> LoopbackJetty.start(context));
    Throwable cause = failure;
    while (cause != refusal && cause.getCause() != null) {
      cause = cause.getCause();
    }
    assertSame(refusal, cause, () -> "the listener's refusal, not " + failure);
    Set<Thread> left = jettyThreads();
    left.removeAll(before);
    for (Thread thread : left) {
      thread.join(5_000);
    }
    assertTrue(left.stream().noneMatch(Thread::isAlive), () -> "still running: " + left);
  }

  /** The threads of Jetty's pools ({@code qtp…}) alive now. */
  private static Set<Thread> jettyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("qtp"))
        .collect(Collectors.toSet());
  }
}
