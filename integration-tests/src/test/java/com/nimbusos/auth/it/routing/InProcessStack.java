package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.filter.ApiKeyFilter;
import com.nimbusos.auth.it.routing.app.Probe;
import com.nimbusos.auth.it.routing.app.ProbeResource;
import com.nimbusos.auth.jaxrs.NimbusAuthFeature;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The probe application in process: Jetty 12 (ee10) with Jersey's {@code ServletContainer} at
 * {@code /*}, driven through Jetty's {@link LocalConnector} (real HTTP/1.1 parsing, no sockets).
 * Jetty is set to accept every URI it can parse ({@link UriCompliance#UNSAFE}, ambiguous URIs
 * decoded for the servlet API), as lenient as the most lenient container: Nimbus Auth must not rely
 * on the container refusing a trick. Audit events go to {@link MemoryAuditSink}.
 */
public final class InProcessStack implements AutoCloseable {

  /** How Nimbus Auth is wired in front of the probe. */
  public enum Wiring {
    /**
     * {@code ApiKeyFilter} on {@code /*} (configured by init-params), the JAX-RS feature behind it.
     */
    FILTER_IN_FRONT_OF_JAXRS,
    /** The JAX-RS feature alone, configured by the application's properties. */
    JAXRS_ALONE
  }

  private final Server server;
  private final LocalConnector connector;

  private InProcessStack(Server server, LocalConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * What each wiring is configured with: the contract's properties (plain HTTP), the probe's, the
   * memory sink.
   */
  static Map<String, String> properties(boolean scopeRules) {
    Map<String, String> properties =
        new LinkedHashMap<>(Probe.with(ContractApp.properties(false, scopeRules)));
    properties.put("nimbus.auth.audit.sink", MemoryAuditSink.class.getName());
    return properties;
  }

  public static InProcessStack start(Wiring wiring) throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setUriCompliance(UriCompliance.UNSAFE);
    LocalConnector connector = new LocalConnector(server, new HttpConnectionFactory(http));
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    ResourceConfig jaxrs = new ResourceConfig(ProbeResource.class, NimbusAuthFeature.class);
    if (wiring == Wiring.FILTER_IN_FRONT_OF_JAXRS) {
      FilterHolder filter = new FilterHolder(ApiKeyFilter.class);
      filter.setInitParameters(properties(true));
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      // No nimbus.auth.* setting for the feature, as in the container WARs: it enforces the
      // annotations on
      // the filter's verdicts, which the filter audits.
    } else {
      jaxrs.addProperties(new LinkedHashMap<>(properties(false)));
    }
    context.addServlet(new ServletHolder(new ServletContainer(jaxrs)), "/*");
    server.setHandler(context);
    server.start();
    return new InProcessStack(server, connector);
  }

  /**
   * Sends exactly {@code request} on a new in-memory connection.
   *
   * @return the reply, or {@code null} when Jetty closed the connection without one
   */
  public Reply exchange(byte[] request, boolean head) throws IOException {
    ByteBuffer raw;
    try {
      raw = connector.getResponse(ByteBuffer.wrap(request), 10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    if (raw == null || !raw.hasRemaining()) {
      return null;
    }
    HttpTester.Response response =
        head ? HttpTester.parseHeadResponse(raw) : HttpTester.parseResponse(raw);
    if (response == null) {
      return null;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : response) {
      headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
    }
    return new Reply(response.getStatus(), headers, head ? "" : response.getContent());
  }

  /** The audit events of one request. */
  public List<Audited> audit(String requestId) {
    return MemoryAuditSink.TRAIL.of(requestId).stream().map(Audited::of).toList();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
