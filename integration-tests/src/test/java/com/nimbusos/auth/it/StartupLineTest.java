package com.nimbusos.auth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.filter.ApiKeyFilter;
import com.nimbusos.auth.filter.StartupCheck;
import com.nimbusos.auth.jaxrs.NimbusAuthFeature;
import com.nimbusos.auth.sample.OrdersResource;
import jakarta.servlet.DispatcherType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;

/**
 * The start-up line is logged once per application, at deployment: here the demo's wiring, the
 * servlet filter in {@code web.xml} (so the start-up check runs at deployment) in front of the
 * JAX-RS feature, both reading the same settings (the demo gives them as system properties, which
 * both read). The check, the filter and the feature each start on that configuration; one INFO line
 * says so, logged by the check, before the filter and the feature start, which say at DEBUG that
 * they run as announced.
 */
class StartupLineTest {

  @Test
  void theDemosWiringLogsItsConfigurationOnceAtDeployment() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>(ContractApp.properties(false, true));
    // A public path of this test's own, so that its line is new whatever ran in this JVM before.
    settings.merge(
        "nimbus.auth.public-paths", "/startup-line-test", (paths, own) -> paths + "," + own);
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("com.nimbusos.auth");
    Level level = logger.getLevel();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
    Server server = new Server();
    try {
      LocalConnector connector = new LocalConnector(server);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addEventListener(new StartupCheck());
      // As the servers discover it in the jaxrs jar: it tells the feature the context path, which
      // names the
      // application's one audit trail (the feature joins the filter's).
      context.addEventListener(new com.nimbusos.auth.jaxrs.ReleaseOnUndeploy());
      FilterHolder filter = new FilterHolder(ApiKeyFilter.class);
      filter.setName("nimbus-auth");
      filter.setInitParameters(settings);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      ResourceConfig jaxrs = new ResourceConfig(OrdersResource.class, NimbusAuthFeature.class);
      jaxrs.addProperties(new LinkedHashMap<>(settings));
      context.addServlet(new ServletHolder(new ServletContainer(jaxrs)), "/*");
      server.setHandler(context);
      server.start();
      // The first request: where a lazy container (WildFly) would start the filter, and Jersey its
      // feature.
      ByteBuffer reply =
          connector.getResponse(
              ByteBuffer.wrap(
                  "GET /orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII)),
              10,
              TimeUnit.SECONDS);
      assertTrue(
          StandardCharsets.UTF_8.decode(reply).toString().startsWith("HTTP/1.1 401"),
          "no key, no entry");
    } finally {
      server.stop();
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
    List<LogRecord> ours =
        records.stream().filter(r -> r.getMessage().startsWith("Nimbus Auth ")).toList();
    List<String> lines =
        ours.stream()
            .filter(
                r ->
                    r.getLevel() == Level.INFO
                        && r.getMessage().contains(" active: ")
                        && r.getMessage().contains("startup-line-test"))
            .map(LogRecord::getMessage)
            .toList();
    assertEquals(
        1, lines.size(), "the configuration was logged " + lines.size() + " times: " + lines);
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "Nimbus Auth servlet filter 'nimbus-auth' active: validator from nimbus.auth.validator="),
        lines.get(0));
    List<String> repeats =
        ours.stream()
            .filter(r -> r.getMessage().endsWith("active, with the configuration logged above"))
            .map(r -> r.getLevel() + " " + r.getMessage())
            .toList();
    assertEquals(
        List.of(
            "FINE Nimbus Auth servlet filter 'nimbus-auth' active, with the configuration logged above",
            "FINE Nimbus Auth JAX-RS feature active, with the configuration logged above"),
        repeats);
    // Logged by the check, at deployment: before the filter's and the feature's own start.
    assertTrue(
        ours.indexOf(
                ours.stream()
                    .filter(r -> lines.get(0).equals(r.getMessage()))
                    .findFirst()
                    .orElseThrow())
            < ours.indexOf(
                ours.stream()
                    .filter(r -> r.getMessage().endsWith("logged above"))
                    .findFirst()
                    .orElseThrow()));
  }
}
