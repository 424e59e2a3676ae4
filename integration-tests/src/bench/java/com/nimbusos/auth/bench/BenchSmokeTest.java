package com.nimbusos.auth.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks from rotting: every JMH benchmark class runs in this JVM (no fork) with one
 * warm-up and one measurement iteration of 100 ms, and each benchmark must produce a score; then
 * the heap probe runs on a few keys and the report is written from these results. No timing is
 * asserted: timings belong to {@code ./mvnw -Pbench ...} (see CONTRIBUTING.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BenchSmokeTest {

  private static final Path RESULTS = Path.of("target", "bench-smoke", "benchmarks");

  @BeforeAll
  static void setUp() throws Exception {
    // JMH refuses to start while another JMH run holds its lock file (a benchmark run on the same
    // machine).
    System.setProperty("jmh.ignoreLock", "true");
    Files.createDirectories(RESULTS);
  }

  private static void smoke(Class<?> benchmark, String resultName, String... params)
      throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(benchmark.getName() + "\\.")
            .forks(0)
            .warmupIterations(1)
            .warmupTime(TimeValue.milliseconds(100))
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .timeUnit(TimeUnit.MICROSECONDS)
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(RESULTS.resolve(resultName + ".json").toString());
    for (int i = 0; i < params.length; i += 2) {
      options.param(params[i], params[i + 1]);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    assertFalse(results.isEmpty(), "no results for " + benchmark.getSimpleName());
    for (RunResult result : results) {
      assertFalse(
          Double.isNaN(result.getPrimaryResult().getScore()),
          "no score for " + result.getParams().getBenchmark());
    }
  }

  @Test
  @Order(1)
  void validationBenchmarksRun() throws Exception {
    smoke(ValidationBenchmark.class, "validation", "keys", "1000", "hashing", "hmac");
    // The suite's sized-cache phase runs two of these methods (floor, validSizedCache) on their
    // own; the same results, under its name, let the report render that table here too.
    Files.copy(
        RESULTS.resolve("validation.json"),
        RESULTS.resolve("validation-sized-cache.json"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  @Order(2)
  void jdbcValidationBenchmarksRun() throws Exception {
    smoke(JdbcValidationBenchmark.class, "validation-jdbc");
  }

  @Test
  @Order(3)
  void jaxrsRequestBenchmarksRun() throws Exception {
    smoke(JaxrsRequestBenchmark.class, "request-jaxrs");
  }

  @Test
  @Order(4)
  void servletRequestBenchmarksRun() throws Exception {
    smoke(ServletRequestBenchmark.class, "request-servlet");
  }

  @Test
  @Order(4)
  void metricsBenchmarksRun() throws Exception {
    smoke(MetricsBenchmark.class, "metrics");
  }

  @Test
  @Order(4)
  void keyIndexBenchmarksRun() throws Exception {
    smoke(KeyIndexBenchmark.class, "key-index", "keys", "10000");
  }

  @Test
  @Order(4)
  void auditTrailBenchmarksRun() throws Exception {
    smoke(AuditTrailBenchmark.class, "audit-file");
  }

  @Test
  @Order(5)
  void heapProbeAndReportRun() throws Exception {
    Path work = Files.createDirectories(RESULTS.getParent());
    Files.writeString(RESULTS.resolve("heap.json"), BenchSuite.heap(2_000, work));
    Files.writeString(
        RESULTS.resolve("index-scale.json"),
        BenchSuite.indexScale(new int[] {2_000, 20_000}, work));
    Files.writeString(
        RESULTS.resolve("json-last-use.json"),
        BenchSuite.ownJvm(
            JsonLastUseCost.class,
            "JSON_LAST_USE ",
            work,
            "-Xmx256m",
            work.resolve("json-store").toString(),
            "1000",
            "3000"));
    String markdown = new Report(RESULTS).markdown();
    assertTrue(
        markdown.contains("## 1. Validation hot path") && markdown.contains("## 4. Scale"),
        markdown);
    assertTrue(
        markdown.contains("The compact key index")
            && markdown.contains("JSON file store, one batch write")
            && markdown.contains("cache sized to the keys in use")
            && markdown.contains("growth ÷ floor's growth by keys"),
        markdown);
    assertTrue(
        markdown.contains("/contract (the contract floor)")
            && markdown.contains("Nimbus over the contract floor: ")
            && markdown.contains("; the contract floor "),
        markdown);
  }
}
