package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.engine.AuthRequest;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.AuthMetricsResolver;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What metrics cost per decision: the engine's {@code decideAndRecord} for a valid and an unknown
 * key, with no metrics (the baseline, in the same run) and with Micrometer (a {@code
 * SimpleMeterRegistry}, found as the resolver finds a global registry: one counter increment and
 * one timer record per request). Validator: the store validator over 1,000 in-memory keys; audit:
 * the counting sink.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class MetricsBenchmark {

  /** A request as an adapter would hand it to the engine. */
  record Request(String method, String path, List<String> key) implements AuthRequest {
    @Override
    public List<String> headerValues(String name) {
      return name.equalsIgnoreCase("X-API-Key") ? key : List.of();
    }

    @Override
    public boolean isSecure() {
      return true;
    }

    @Override
    public String rawPath() {
      return path;
    }

    @Override
    public String basePath() {
      return "";
    }

    @Override
    public String remoteAddress() {
      return "192.0.2.1";
    }
  }

  private SimpleMeterRegistry registry;
  AuthenticationEngine plain;
  AuthenticationEngine micrometer;
  Request[] valid;
  Request[] unknown;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InMemoryKeyStore store = new InMemoryKeyStore();
    BenchKeys keys = BenchKeys.inMemory(1000, BenchKeys.hasher("sha256"), store);
    StoreKeyValidator validator = StoreKeyValidator.over(store).hasher(keys.hasher).build();
    NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().throttle(0, 60).build();
    registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    AuthMetrics metrics =
        AuthMetricsResolver.resolve(
            null,
            NimbusAuthConfig.builder()
                .anyEnvironment()
                .metrics(NimbusAuthConfig.MetricsKind.MICROMETER)
                .build(),
            getClass().getClassLoader());
    plain =
        new AuthenticationEngine(
            validator, config, new CountingAuditSink(), AuthMetrics.NONE, Clock.systemUTC());
    micrometer =
        new AuthenticationEngine(
            validator, config, new CountingAuditSink(), metrics, Clock.systemUTC());
    valid = new Request[keys.keys.length];
    for (int i = 0; i < valid.length; i++) {
      valid[i] = new Request("GET", "/orders", List.of(keys.keys[i]));
    }
    unknown = new Request[keys.unknown.length];
    for (int i = 0; i < unknown.length; i++) {
      unknown[i] = new Request("GET", "/orders", List.of(keys.unknown[i]));
    }
    for (Request request : valid) { // every key validated once: the cached steady state
      require(
          micrometer.decideAndRecord(request) instanceof Decision.Authenticated,
          "valid key refused");
      require(
          plain.decideAndRecord(request) instanceof Decision.Authenticated, "valid key refused");
    }
    require(!micrometer.decideAndRecord(unknown[0]).allowed(), "unknown key allowed");
    require(
        registry.get("nimbus.auth.decisions").tag("reason", "AUTHENTICATED").counter().count()
            == valid.length,
        "Micrometer counted no decisions");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Metrics.removeRegistry(registry);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private Request nextValid() {
    return valid[next++ & 511];
  }

  private Request nextUnknown() {
    return unknown[next++ & 511];
  }

  @Benchmark
  public Decision noneValid() {
    return plain.decideAndRecord(nextValid());
  }

  @Benchmark
  public Decision micrometerValid() {
    return micrometer.decideAndRecord(nextValid());
  }

  @Benchmark
  public Decision noneUnknown() {
    return plain.decideAndRecord(nextUnknown());
  }

  @Benchmark
  public Decision micrometerUnknown() {
    return micrometer.decideAndRecord(nextUnknown());
  }
}
