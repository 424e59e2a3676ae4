package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
 * What the durable file trail costs per decision: the engine's {@code decideAndRecord} for a valid
 * key with the counting sink (the baseline, in the same run) and with {@link FileAuditSink} ({@code
 * fsync=none}: the line copied into the memory-mapped file; its sealing thread hashes it on the
 * side, on the same cores). Validator: the store validator over 1,000 in-memory keys. Run with 1
 * and with 2 threads (see {@link BenchSuite}). Finished trail files are deleted after each
 * iteration, so that the page cache holds only the file in use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class AuditTrailBenchmark {

  private static final byte[] AUDIT_KEY =
      "bench-audit-key-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8);

  private Path directory;
  private FileAuditSink fileSink;
  AuthenticationEngine counting;
  AuthenticationEngine file;
  MetricsBenchmark.Request[] valid;
  private final AtomicInteger next = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InMemoryKeyStore store = new InMemoryKeyStore();
    BenchKeys keys = BenchKeys.inMemory(1000, BenchKeys.hasher("sha256"), store);
    StoreKeyValidator validator = StoreKeyValidator.over(store).hasher(keys.hasher).build();
    NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().throttle(0, 60).build();
    directory = Files.createTempDirectory("nimbus-audit-bench");
    fileSink = FileAuditSink.builder(directory.resolve("audit"), AUDIT_KEY).build();
    counting =
        new AuthenticationEngine(
            validator, config, new CountingAuditSink(), AuthMetrics.NONE, Clock.systemUTC());
    file =
        new AuthenticationEngine(validator, config, fileSink, AuthMetrics.NONE, Clock.systemUTC());
    valid = new MetricsBenchmark.Request[keys.keys.length];
    for (int i = 0; i < valid.length; i++) {
      valid[i] = new MetricsBenchmark.Request("GET", "/orders", List.of(keys.keys[i]));
    }
    for (MetricsBenchmark.Request request :
        valid) { // every key validated once: the cached steady state
      require(counting.decideAndRecord(request) instanceof Decision.Authenticated);
      require(file.decideAndRecord(request) instanceof Decision.Authenticated);
    }
  }

  /** Deletes the files the trail has finished with; the current one stays. */
  @TearDown(Level.Iteration)
  public void dropFinishedFiles() throws IOException {
    List<Path> files = trailFiles();
    for (Path finished : files.subList(0, Math.max(0, files.size() - 2))) {
      Files.deleteIfExists(finished);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fileSink.close();
    try (Stream<Path> entries = Files.walk(directory)) {
      entries
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private List<Path> trailFiles() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  private static void require(boolean condition) {
    if (!condition) {
      throw new IllegalStateException("valid key refused");
    }
  }

  private MetricsBenchmark.Request nextValid() {
    return valid[next.getAndIncrement() & 511];
  }

  @Benchmark
  public Decision countingValid() {
    return counting.decideAndRecord(nextValid());
  }

  @Benchmark
  public Decision fileValid() {
    return file.decideAndRecord(nextValid());
  }
}
