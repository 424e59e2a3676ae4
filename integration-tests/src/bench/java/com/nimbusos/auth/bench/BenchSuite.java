package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.internal.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs every benchmark of the issue in one go and writes {@code docs/benchmarks.md} plus the raw
 * JSON in {@code docs/benchmarks/}: the JMH suites (validation, JDBC, whole requests through Jersey
 * and through the servlet filter on Jetty), the heap held by a million keys, and the HTTP rounds
 * with wrk.
 *
 * <p>{@code BenchSuite --docs DIR --work DIR [quick] [only=jmh,heap,http] [jmh=NAME,...]
 * [report-only]}. {@code jmh=metrics} runs only the named JMH runs (their machine and commit go to
 * {@code NAME.run.json}). {@code quick} shrinks every count to check the machinery (its numbers
 * mean nothing); {@code report-only} rewrites the Markdown from the JSON already there.
 */
public final class BenchSuite {

  /** One JMH invocation; its results go to {@code <name>.json}. */
  record JmhRun(
      String name,
      Class<?> benchmark,
      String methods,
      Map<String, String[]> params,
      int threads,
      int forks,
      int warmups,
      int iterations,
      String heap) {}

  private BenchSuite() {}

  static List<JmhRun> plan(boolean quick) {
    String[] scale =
        quick ? new String[] {"1", "1000"} : new String[] {"1", "1000", "100000", "1000000"};
    String[] twoSizes = quick ? new String[] {"1000"} : new String[] {"1000", "1000000"};
    int forks = 1;
    int warmups = quick ? 1 : 2;
    int iterations = quick ? 2 : 4;
    // The scale rows (10^5 and 10^6 keys) move from one second to the next with the garbage
    // collector and the last-use writes; with four iterations their 99.9 % interval was wider than
    // the mean (Student's t at 3 degrees of freedom is 12.9; at 7, 5.4).
    int scaleIterations = quick ? 2 : 8;
    // and four seconds of warm-up: after two, the first measured second of the valid key at 10^5
    // keys was still ≈ 18 % above the other seven (491 and 495 ns against ≈ 420, two runs), and
    // that one second reached the flat-latency goal with its band
    int scaleWarmups = quick ? 1 : 4;
    // The twins' forks are interleaved (see Interleaved): three rounds of one fork each, A/B/C then
    // B/C/A...
    // Six seconds of warm-up per fork: with three, the first measured second of /secured was still
    // about twice the rest (33 µs, then 14), and that one iteration made the fork's error band.
    int requestWarmups = quick ? 1 : 6;
    int requestIterations = quick ? 2 : 4;
    int requestForks = quick ? 2 : 3;
    return List.of(
        new JmhRun(
            "validation",
            ValidationBenchmark.class,
            "floor|floorUnknown|valid|unknown|badChecksum",
            Map.of("keys", scale, "hashing", new String[] {"sha256"}),
            1,
            forks,
            scaleWarmups,
            scaleIterations,
            "2g"),
        new JmhRun(
            "validation-sized-cache",
            ValidationBenchmark.class,
            "floor|validSizedCache",
            Map.of(
                "keys",
                quick ? new String[] {"1000"} : new String[] {"1000000"},
                "hashing",
                new String[] {"sha256"}),
            1,
            forks,
            scaleWarmups,
            scaleIterations,
            "2g"),
        new JmhRun(
            "validation-pepper",
            ValidationBenchmark.class,
            "floor|valid|unknown",
            Map.of("keys", twoSizes, "hashing", new String[] {"hmac"}),
            1,
            forks,
            warmups,
            iterations,
            "2g"),
        new JmhRun(
            "validation-2threads",
            ValidationBenchmark.class,
            "floor|valid|unknown",
            Map.of("keys", twoSizes, "hashing", new String[] {"sha256"}),
            2,
            forks,
            warmups,
            iterations,
            "2g"),
        new JmhRun(
            "validation-jdbc",
            JdbcValidationBenchmark.class,
            "floor|cachedValid|cachedUnknown|uncachedUnknown|indexedUnknown",
            Map.of(),
            1,
            forks,
            warmups,
            iterations,
            "1g"),
        new JmhRun(
            "request-jaxrs",
            JaxrsRequestBenchmark.class,
            "open|securedValid|securedInvalid|dropwizardValid|dropwizardInvalid|contractValid|contractInvalid|securedLoggingValid|securedLoggingInvalid",
            Map.of(),
            1,
            requestForks,
            requestWarmups,
            requestIterations,
            "1g"),
        new JmhRun(
            "request-servlet",
            ServletRequestBenchmark.class,
            "open|securedValid|securedInvalid|contractValid|contractInvalid",
            Map.of(),
            1,
            requestForks,
            requestWarmups,
            requestIterations,
            "1g"),
        new JmhRun(
            "key-index",
            KeyIndexBenchmark.class,
            "indexContains|indexRecord|indexUnknown|storeRecord|floorMap|cacheUnbounded|cacheBounded|cacheBoundedEvicting",
            Map.of("keys", quick ? new String[] {"10000"} : new String[] {"10000", "1000000"}),
            1,
            // two forks of five: with one fork of three, the 99.9 % band of a difference between
            // two cache lookups spanned ± 400 ns (Student's t at two degrees of freedom)
            quick ? forks : 2,
            warmups,
            quick ? iterations : 5,
            "3g"),
        new JmhRun(
            "metrics",
            MetricsBenchmark.class,
            "noneValid|micrometerValid|noneUnknown|micrometerUnknown",
            Map.of(),
            1,
            quick ? requestForks : 2,
            requestWarmups,
            requestIterations,
            "1g"),
        new JmhRun(
            "audit-file",
            AuditTrailBenchmark.class,
            "countingValid|fileValid",
            Map.of(),
            1,
            requestForks,
            requestWarmups,
            requestIterations,
            "1g"),
        new JmhRun(
            "audit-file-2threads",
            AuditTrailBenchmark.class,
            "countingValid|fileValid",
            Map.of(),
            2,
            requestForks,
            requestWarmups,
            requestIterations,
            "1g"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Path docs = Path.of(options.getOrDefault("docs", "docs")).toAbsolutePath().normalize();
    Path work = Path.of(options.getOrDefault("work", "target/bench")).toAbsolutePath().normalize();
    Path raw = docs.resolve("benchmarks");
    boolean quick = options.containsKey("quick");
    String only = options.getOrDefault("only", "jmh,heap,http");
    Files.createDirectories(raw);
    Files.createDirectories(work);
    PrintWriter log = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

    if (!options.containsKey("report-only")) {
      Instant started = Instant.now();
      Map<String, Object> machine = machine(docs.getParent());
      machine.put(
          "startedAt",
          DateTimeFormatter.ISO_INSTANT.format(
              started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
      machine.put("quick", quick);
      machine.put("otherJavaAtStart", Machine.heavyJavaProcesses());
      machine.put("loadAverageAtStart", Machine.loadAverage());
      List<Object> phases = new ArrayList<>();
      if (only.contains("jmh")) {
        String selected = options.getOrDefault("jmh", "");
        for (JmhRun run : plan(quick)) {
          if (!selected.isEmpty()
              && !java.util.Arrays.asList(selected.split(",")).contains(run.name())) {
            continue;
          }
          Instant phaseStart = Instant.now();
          MachineLoad.Meter meter = MachineLoad.start();
          log.println("JMH " + run.name() + " ...");
          Interleaved.run(
              run, raw.resolve(run.name() + ".json"), work.resolve("jmh-" + run.name()));
          phases.add(phase(run.name(), phaseStart, meter));
          log.println("  " + MachineLoad.describe(phaseLoad(phases)));
        }
      }
      if (only.contains("heap")) {
        Instant phaseStart = Instant.now();
        MachineLoad.Meter meter = MachineLoad.start();
        log.println("Heap held by keys ...");
        String heap = heap(quick ? 100_000 : 1_000_000, work);
        Files.writeString(raw.resolve("heap.json"), heap);
        log.println("Compact key index, heap and load time by size ...");
        Files.writeString(
            raw.resolve("index-scale.json"),
            indexScale(
                quick
                    ? new int[] {10_000, 100_000}
                    : new int[] {10_000, 100_000, 1_000_000, 10_000_000},
                work));
        log.println("JSON store, cost of a batch write of last uses ...");
        Files.writeString(
            raw.resolve("json-last-use.json"),
            ownJvm(
                JsonLastUseCost.class,
                "JSON_LAST_USE ",
                work,
                "-Xmx4g",
                work.resolve("json-store").toString(),
                "10000",
                quick ? "100000" : "1000000"));
        phases.add(phase("heap", phaseStart, meter));
      }
      if (only.contains("http")) {
        Instant phaseStart = Instant.now();
        MachineLoad.Meter meter = MachineLoad.start();
        log.println("HTTP under load ...");
        HttpLoad load =
            new HttpLoad(
                work.resolve("http"),
                System.getProperty("java.class.path"),
                quick ? 2 : 5,
                quick ? 1 : 4,
                quick ? 1 : 6,
                16,
                log);
        Files.writeString(raw.resolve("http.json"), Json.write(load.run()));
        phases.add(phase("http", phaseStart, meter));
      }
      machine.put("otherJavaAtEnd", Machine.heavyJavaProcesses());
      machine.put("loadAverageAtEnd", Machine.loadAverage());
      machine.put("phases", phases);
      machine.put("totalSeconds", Duration.between(started, Instant.now()).toSeconds());
      Path runFile = raw.resolve("run.json");
      if (only.equals("jmh,heap,http") && !options.containsKey("jmh")) {
        // Everything was measured in this run: no part of the report was measured on its own since.
        try (Stream<Path> files = Files.list(raw)) {
          for (Path own : files.filter(f -> f.toString().endsWith(".run.json")).toList()) {
            Files.delete(own);
          }
        }
        Files.writeString(runFile, Json.write(machine));
      } else if (!Files.exists(runFile)) {
        Files.writeString(runFile, Json.write(machine));
      } else {
        // Parts measured on their own: each keeps the machine, time and commit of its own run, so
        // the report never credits them to the run that measured the rest.
        for (String name : measuredOnTheirOwn(only, options.get("jmh"), quick)) {
          Files.writeString(raw.resolve(name + ".run.json"), Json.write(machine));
        }
      }
    }
    Path markdown = docs.resolve("benchmarks.md");
    Files.writeString(markdown, new Report(raw).markdown());
    log.println("Wrote " + markdown + " and " + raw);
  }

  /**
   * The names of the parts a partial run measured: the JMH runs named by {@code jmh=} (all of them
   * when {@code only} names {@code jmh} without a list), then {@code heap} and {@code http} when
   * {@code only} names them.
   */
  static List<String> measuredOnTheirOwn(String only, String jmh, boolean quick) {
    List<String> parts = new ArrayList<>();
    List<String> onlyParts = java.util.Arrays.asList(only.split(","));
    if (jmh != null && !jmh.isEmpty()) {
      parts.addAll(java.util.Arrays.asList(jmh.split(",")));
    } else if (onlyParts.contains("jmh")) {
      plan(quick).forEach(run -> parts.add(run.name()));
    }
    for (String part : new String[] {"heap", "http"}) {
      if (onlyParts.contains(part)) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static Map<String, Object> phase(String name, Instant start, MachineLoad.Meter meter) {
    Map<String, Object> phase = new LinkedHashMap<>();
    phase.put("name", name);
    phase.put("seconds", Duration.between(start, Instant.now()).toSeconds());
    phase.put("machine", meter.stop());
    phase.put("otherJavaAfter", Machine.heavyJavaProcesses());
    return phase;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> phaseLoad(List<Object> phases) {
    return (Map<String, Object>)
        ((Map<String, Object>) phases.get(phases.size() - 1)).get("machine");
  }

  static String heap(int keys, Path work) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                HttpLoad.javaBinary(),
                "-Xms4g",
                "-Xmx4g",
                "-cp",
                System.getProperty("java.class.path"),
                HeapFootprint.class.getName(),
                Integer.toString(keys))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("heap.log").toFile())
            .start();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("HeapFootprint failed; see " + work.resolve("heap.log"));
    }
    String line =
        Files.readAllLines(work.resolve("heap.log")).stream()
            .filter(l -> l.startsWith("HEAP_JSON "))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("no HEAP_JSON in " + work.resolve("heap.log")));
    return Json.write(Json.parse(line.substring(10)));
  }

  /**
   * {@link IndexFootprint} in its own JVM (6 GB of heap: ten million keys are built from a full
   * builder).
   */
  static String indexScale(int[] sizes, Path work) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                HttpLoad.javaBinary(),
                "-Xms6g",
                "-Xmx6g",
                "-cp",
                System.getProperty("java.class.path"),
                IndexFootprint.class.getName()));
    for (int size : sizes) {
      command.add(Integer.toString(size));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("index-scale.log").toFile())
            .start();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(
          "IndexFootprint failed; see " + work.resolve("index-scale.log"));
    }
    String line =
        Files.readAllLines(work.resolve("index-scale.log")).stream()
            .filter(l -> l.startsWith("INDEX_JSON "))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no INDEX_JSON in " + work.resolve("index-scale.log")));
    return Json.write(Json.parse(line.substring(11)));
  }

  /** Runs {@code main} in its own JVM and returns the JSON it prints after {@code prefix}. */
  static String ownJvm(Class<?> main, String prefix, Path work, String heap, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                HttpLoad.javaBinary(),
                heap,
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    command.addAll(List.of(args));
    Path log = work.resolve(main.getSimpleName() + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(main.getSimpleName() + " failed; see " + log);
    }
    String line =
        Files.readAllLines(log).stream()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + prefix + "in " + log));
    return Json.write(Json.parse(line.substring(prefix.length())));
  }

  static Map<String, Object> machine(Path project) {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpu", Machine.cpuModel());
    machine.put("cores", (long) Runtime.getRuntime().availableProcessors());
    machine.put("memory", Machine.memTotal());
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    machine.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    machine.put(
        "jvmInput", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    machine.put("git", Machine.git(project));
    return machine;
  }

  /**
   * {@code quick}, {@code only=jmh,heap}, {@code report-only}, {@code docs=DIR}; a leading {@code
   * --} is allowed.
   */
  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i].replaceFirst("^--", "");
      if (arg.isBlank()) {
        continue;
      }
      int equals = arg.indexOf('=');
      if (equals > 0) {
        options.put(arg.substring(0, equals).toLowerCase(Locale.ROOT), arg.substring(equals + 1));
      } else if (i + 1 < args.length
          && (arg.equals("docs") || arg.equals("work") || arg.equals("only"))) {
        options.put(arg, args[++i]);
      } else {
        options.put(arg.toLowerCase(Locale.ROOT), "true");
      }
    }
    return options;
  }
}
