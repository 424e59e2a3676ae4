package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import com.nimbusos.auth.filter.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole request through the servlet filter on embedded Jetty 12 (ee10), driven in process by
 * Jetty's {@link LocalConnector}: real HTTP/1.1 parsing and generation over an in-memory endpoint
 * (one persistent connection per thread), no sockets. Twins in one context: {@code /open} (the
 * servlet alone), {@code /secured} (the same servlet behind {@link ApiKeyFilter}) and {@code
 * /contract} (behind the {@link ContractFloor}: the least that keeps Nimbus' HTTP contract), for a
 * valid and an invalid key.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class ServletRequestBenchmark {

  static final int KEYS = 1000;

  BenchKeys fixture;
  StoreKeyValidator validator;
  Server server;
  LocalConnector connector;

  /** The resource of both twins. */
  public static final class OkServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.getWriter().write(BenchApps.BODY);
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyHasher hasher = KeyHasher.sha256();
    InMemoryKeyStore store = new InMemoryKeyStore();
    fixture = BenchKeys.inMemory(KEYS, hasher, store);
    validator = StoreKeyValidator.over(store).hasher(hasher).build();

    server = new Server();
    connector = new LocalConnector(server);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new OkServlet()), "/open");
    context.addServlet(new ServletHolder(new OkServlet()), "/secured");
    context.addServlet(new ServletHolder(new OkServlet()), "/contract");
    context.addFilter(
        new FilterHolder(new ApiKeyFilter(validator, BenchApps.nimbusConfig(false))),
        "/secured",
        EnumSet.of(DispatcherType.REQUEST));
    Floor.Shared<BenchApps.Caller> floor = BenchApps.callers(fixture.keys);
    context.addFilter(
        new FilterHolder(new ContractFloor(floor).servlet()),
        "/contract",
        EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();

    Client check = new Client();
    check.setUp(this);
    expect(check.exchange("/open", fixture.keys[0]), "HTTP/1.1 200", BenchApps.BODY);
    expect(check.exchange("/secured", fixture.keys[1]), "HTTP/1.1 200", BenchApps.BODY);
    expect(
        check.exchange("/secured", fixture.unknown[0]),
        "HTTP/1.1 401",
        "\"code\":\"unauthorized\"");
    expect(check.exchange("/contract", fixture.keys[2]), "HTTP/1.1 200", ContractFloor.REQUEST_ID);
    expect(
        check.exchange("/contract", fixture.unknown[1]),
        "HTTP/1.1 401",
        "\"code\":\"unauthorized\"");
    check.tearDown();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.stop();
    validator.close();
  }

  private static void expect(String response, String statusLine, String bodyPart) {
    if (!response.startsWith(statusLine) || !response.contains(bodyPart)) {
      throw new IllegalStateException(
          "expected " + statusLine + " with " + bodyPart + ", got " + response);
    }
  }

  /** Per thread: one persistent in-memory connection, and the next keys. */
  @State(Scope.Thread)
  public static class Client {
    LocalConnector.LocalEndPoint connection;
    String[] valid;
    String[] unknown;
    int nextValid;
    int nextUnknown;

    @Setup(Level.Trial)
    public void setUp(ServletRequestBenchmark benchmark) {
      connection = benchmark.connector.connect();
      valid = benchmark.fixture.keys;
      unknown = new String[benchmark.fixture.unknown.length];
      for (int i = 0; i < unknown.length; i++) {
        unknown[i] = benchmark.fixture.unknown[i];
      }
      nextValid = ThreadLocalRandom.current().nextInt(valid.length);
      nextUnknown = ThreadLocalRandom.current().nextInt(unknown.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      connection.close();
    }

    String validKey() {
      nextValid = nextValid + 1 == valid.length ? 0 : nextValid + 1;
      return valid[nextValid];
    }

    String unknownKey() {
      nextUnknown = (nextUnknown + 1) % unknown.length;
      return unknown[nextUnknown];
    }

    ByteBuffer send(String path, String key) throws Exception {
      connection.addInput(
          "GET "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\n"
              + BenchApps.HEADER
              + ": "
              + key
              + "\r\n\r\n");
      ByteBuffer response = connection.waitForResponse(false, 10, TimeUnit.SECONDS);
      if (response == null) {
        throw new IllegalStateException("no response within 10 s");
      }
      return response;
    }

    String exchange(String path, String key) throws Exception {
      return StandardCharsets.ISO_8859_1.decode(send(path, key)).toString();
    }

    int status(String path, String key, char expected) throws Exception {
      ByteBuffer response = send(path, key);
      // "HTTP/1.1 200": the status's first digit is at index 9
      char first = (char) response.get(response.position() + 9);
      if (first != expected) {
        throw new IllegalStateException(
            "unexpected response " + StandardCharsets.ISO_8859_1.decode(response));
      }
      return response.remaining();
    }
  }

  @Benchmark
  public int open(Client client) throws Exception {
    return client.status("/open", client.validKey(), '2');
  }

  @Benchmark
  public int securedValid(Client client) throws Exception {
    return client.status("/secured", client.validKey(), '2');
  }

  @Benchmark
  public int securedInvalid(Client client) throws Exception {
    return client.status("/secured", client.unknownKey(), '4');
  }

  @Benchmark
  public int contractValid(Client client) throws Exception {
    return client.status("/contract", client.validKey(), '2');
  }

  @Benchmark
  public int contractInvalid(Client client) throws Exception {
    return client.status("/contract", client.unknownKey(), '4');
  }
}
