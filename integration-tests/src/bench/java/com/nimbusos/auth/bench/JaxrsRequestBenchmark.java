package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import jakarta.ws.rs.core.SecurityContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
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
 * A whole request in process through Jersey's {@link ApplicationHandler}, no sockets: request
 * matching, filters, resource, response filters, and the entity written to a stream. The twins
 * {@code /open}, {@code /secured} (Nimbus) and {@code /dropwizard} (dropwizard-auth), each for a
 * valid and an invalid (well-formed, unknown) key; {@code /contract} ({@link ContractFloor}: the
 * least that keeps Nimbus' HTTP contract), likewise; and {@code /secured} once more with the
 * logging audit sink ({@code audit.sink=logging}) writing to a file.
 *
 * <p>Valid keys cycle through 1,000 keys, invalid ones through 1,024 unknown keys; Nimbus validates
 * through {@link StoreKeyValidator} over an {@link InMemoryKeyStore}, dropwizard's authenticator
 * through the {@link Floor} lookup (SHA-256, map, constant-time compare) over the same keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class JaxrsRequestBenchmark {

  static final int KEYS = 1000;
  static final URI BASE = URI.create("http://localhost/");
  static final URI OPEN = URI.create("http://localhost/open");
  static final URI SECURED = URI.create("http://localhost/secured");
  static final URI DROPWIZARD = URI.create("http://localhost/dropwizard");
  static final URI CONTRACT = URI.create("http://localhost/contract");

  BenchKeys fixture;
  StoreKeyValidator validator;
  StoreKeyValidator loggingValidator;
  ApplicationHandler open;
  ApplicationHandler secured;
  ApplicationHandler securedLogging;
  ApplicationHandler dropwizard;
  ApplicationHandler contract;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyHasher hasher = KeyHasher.sha256();
    InMemoryKeyStore store = new InMemoryKeyStore();
    fixture = BenchKeys.inMemory(KEYS, hasher, store);
    validator = StoreKeyValidator.over(store).hasher(hasher).build();
    loggingValidator = StoreKeyValidator.over(store).hasher(hasher).build();
    AuditLogFile.install();
    Floor.Shared<BenchApps.Caller> floor = BenchApps.callers(fixture.keys);
    open = handler(BenchApps.open());
    secured = handler(BenchApps.secured(validator, BenchApps.nimbusConfig(false)));
    securedLogging = handler(BenchApps.secured(loggingValidator, BenchApps.nimbusConfig(true)));
    dropwizard = handler(BenchApps.dropwizard(floor));
    contract = handler(BenchApps.contractFloor(floor));

    Client check = new Client();
    check.setUp(this);
    expect(check.call(open, OPEN, fixture.keys[0]), 200, BenchApps.BODY);
    expect(check.call(secured, SECURED, fixture.keys[1]), 200, BenchApps.BODY);
    expect(check.call(secured, SECURED, fixture.unknown[0]), 401, "\"code\":\"unauthorized\"");
    expect(check.call(securedLogging, SECURED, fixture.keys[2]), 200, BenchApps.BODY);
    expect(
        check.call(securedLogging, SECURED, fixture.unknown[1]), 401, "\"code\":\"unauthorized\"");
    expect(check.call(dropwizard, DROPWIZARD, fixture.keys[3]), 200, BenchApps.BODY);
    expect(check.call(dropwizard, DROPWIZARD, fixture.unknown[2]), 401, "Credentials are required");
    expect(check.call(contract, CONTRACT, fixture.keys[4]), 200, ContractFloor.REQUEST_ID);
    expect(check.call(contract, CONTRACT, fixture.unknown[3]), 401, "\"code\":\"unauthorized\"");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    validator.close();
    loggingValidator.close();
  }

  static ApplicationHandler handler(ResourceConfig config) {
    return new ApplicationHandler(config);
  }

  private static void expect(String response, int status, String bodyPart) {
    if (!response.startsWith(status + " ") || !response.contains(bodyPart)) {
      throw new IllegalStateException(
          "expected " + status + " with " + bodyPart + ", got " + response);
    }
  }

  /** Per thread: the next keys, and a reusable output stream for the entity. */
  @State(Scope.Thread)
  public static class Client {
    final ByteArrayOutputStream entity = new ByteArrayOutputStream(256);
    String[] valid;
    String[] unknown;
    int nextValid;
    int nextUnknown;

    @Setup(Level.Trial)
    public void setUp(JaxrsRequestBenchmark benchmark) {
      valid = benchmark.fixture.keys;
      unknown = new String[benchmark.fixture.unknown.length];
      for (int i = 0; i < unknown.length; i++) {
        unknown[i] = benchmark.fixture.unknown[i];
      }
      nextValid = ThreadLocalRandom.current().nextInt(valid.length);
      nextUnknown = ThreadLocalRandom.current().nextInt(unknown.length);
    }

    String validKey() {
      nextValid = nextValid + 1 == valid.length ? 0 : nextValid + 1;
      return valid[nextValid];
    }

    String unknownKey() {
      nextUnknown = (nextUnknown + 1) % unknown.length;
      return unknown[nextUnknown];
    }

    int status(ApplicationHandler handler, URI uri, String key, int expected) throws Exception {
      entity.reset();
      ContainerRequest request =
          new ContainerRequest(
              BASE,
              uri,
              "GET",
              Anonymous.INSTANCE,
              new MapPropertiesDelegate(),
              handler.getConfiguration());
      request.header(BenchApps.HEADER, key);
      ContainerResponse response = handler.apply(request, entity).get();
      int status = response.getStatus();
      if (status != expected) {
        throw new IllegalStateException("expected " + expected + ", got " + status);
      }
      return status + entity.size();
    }

    String call(ApplicationHandler handler, URI uri, String key) throws Exception {
      entity.reset();
      ContainerRequest request =
          new ContainerRequest(
              BASE,
              uri,
              "GET",
              Anonymous.INSTANCE,
              new MapPropertiesDelegate(),
              handler.getConfiguration());
      request.header(BenchApps.HEADER, key);
      ContainerResponse response = handler.apply(request, entity).get();
      return response.getStatus()
          + " "
          + response.getHeaders()
          + " "
          + entity.toString(StandardCharsets.UTF_8);
    }
  }

  /** The connection's security context: plain HTTP, nobody authenticated by the container. */
  enum Anonymous implements SecurityContext {
    INSTANCE;

    @Override
    public Principal getUserPrincipal() {
      return null;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return false;
    }

    @Override
    public String getAuthenticationScheme() {
      return null;
    }
  }

  @Benchmark
  public int open(Client client) throws Exception {
    return client.status(open, OPEN, client.validKey(), 200);
  }

  @Benchmark
  public int securedValid(Client client) throws Exception {
    return client.status(secured, SECURED, client.validKey(), 200);
  }

  @Benchmark
  public int securedInvalid(Client client) throws Exception {
    return client.status(secured, SECURED, client.unknownKey(), 401);
  }

  @Benchmark
  public int dropwizardValid(Client client) throws Exception {
    return client.status(dropwizard, DROPWIZARD, client.validKey(), 200);
  }

  @Benchmark
  public int dropwizardInvalid(Client client) throws Exception {
    return client.status(dropwizard, DROPWIZARD, client.unknownKey(), 401);
  }

  @Benchmark
  public int securedLoggingValid(Client client) throws Exception {
    return client.status(securedLogging, SECURED, client.validKey(), 200);
  }

  @Benchmark
  public int securedLoggingInvalid(Client client) throws Exception {
    return client.status(securedLogging, SECURED, client.unknownKey(), 401);
  }

  @Benchmark
  public int contractValid(Client client) throws Exception {
    return client.status(contract, CONTRACT, client.validKey(), 200);
  }

  @Benchmark
  public int contractInvalid(Client client) throws Exception {
    return client.status(contract, CONTRACT, client.unknownKey(), 401);
  }
}
