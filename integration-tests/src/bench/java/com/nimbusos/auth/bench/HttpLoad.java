package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP benchmarks: {@link HttpBenchServer} pinned to core 0, wrk pinned to core 1 (taskset), a
 * warm-up of every configuration, then interleaved rounds (the order rotates each round) so that
 * slow drifts of the machine hit every configuration alike. {@code /open} runs twice a round: the
 * spread of its ratio to itself is the noise band the other ratios are judged against. Writes
 * {@code http.json}.
 */
final class HttpLoad {

  /** One thing wrk measures. */
  record Config(
      String id,
      String title,
      int portOffset,
      String path,
      String script,
      String keyFile,
      boolean refused,
      boolean countQueries,
      String baseline) {}

  static final List<Config> CONFIGS =
      List.of(
          new Config(
              "open", "/open (no auth)", 0, "/open", "static", "valid.key", false, false, null),
          new Config(
              "open-again",
              "/open again (noise control)",
              0,
              "/open",
              "static",
              "valid.key",
              false,
              false,
              "open"),
          new Config(
              "secured-200",
              "/secured, valid key (200)",
              1,
              "/secured",
              "static",
              "valid.key",
              false,
              false,
              "open"),
          new Config(
              "secured-401",
              "/secured, invalid key (401)",
              1,
              "/secured",
              "static",
              "invalid.key",
              true,
              false,
              "open"),
          new Config(
              "dropwizard-200",
              "/dropwizard, valid key (200)",
              2,
              "/dropwizard",
              "static",
              "valid.key",
              false,
              false,
              "open"),
          new Config(
              "dropwizard-401",
              "/dropwizard, invalid key (401)",
              2,
              "/dropwizard",
              "static",
              "invalid.key",
              true,
              false,
              "open"),
          new Config(
              "flood-open",
              "/open, a distinct key per request (flood baseline)",
              0,
              "/open",
              "flood",
              "flood-wellformed.txt",
              false,
              false,
              null),
          new Config(
              "flood-jdbc-badchecksum",
              "JDBC store, distinct keys with bad checksums (401)",
              3,
              "/secured",
              "flood",
              "flood-badchecksum.txt",
              true,
              true,
              "flood-open"),
          new Config(
              "flood-jdbc-wellformed",
              "JDBC store, distinct well-formed unknown keys (401)",
              3,
              "/secured",
              "flood",
              "flood-wellformed.txt",
              true,
              true,
              "flood-open"));

  private final Path work;
  private final String classpath;
  private final int rounds;
  private final int seconds;
  private final int warmupSeconds;
  private final int connections;
  private final int segment;
  private final PrintWriter log;

  HttpLoad(
      Path work,
      String classpath,
      int rounds,
      int seconds,
      int warmupSeconds,
      int connections,
      PrintWriter log) {
    this.work = work;
    this.classpath = classpath;
    this.rounds = rounds;
    this.seconds = seconds;
    this.warmupSeconds = warmupSeconds;
    this.connections = connections;
    // keys one flood run may use: far more than the server can answer in that time
    this.segment = Math.max(20_000, Math.max(seconds, warmupSeconds) * 40_000);
    this.log = log;
  }

  Map<String, Object> run() throws Exception {
    Files.createDirectories(work);
    Path staticScript = resource("wrk-static.lua");
    Path floodScript = resource("wrk-flood.lua");
    int port = freePortBlock(4);
    List<String> serverCommand =
        new ArrayList<>(
            List.of(
                "taskset",
                "-c",
                "0",
                javaBinary(),
                "-Xms1g",
                "-Xmx1g",
                "-cp",
                classpath,
                HttpBenchServer.class.getName(),
                Integer.toString(port),
                work.toString(),
                Integer.toString(segment * (rounds + 1))));
    Process server = new ProcessBuilder(serverCommand).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(() -> pump(server.getInputStream(), lines), "http-bench-server-output");
    reader.setDaemon(true);
    reader.start();
    PrintWriter commands =
        new PrintWriter(
            new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8), true);
    try {
      await(lines, "READY", 180);
      String valid = Files.readString(work.resolve("valid.key")).strip();
      String invalid = Files.readString(work.resolve("invalid.key")).strip();
      Map<String, Object> result = new LinkedHashMap<>();
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("serverCores", "0 (taskset -c 0)");
      settings.put("wrkCores", "1 (taskset -c 1)");
      settings.put("serverJvm", "-Xms1g -Xmx1g, JVM defaults otherwise");
      settings.put(
          "wrk", "wrk -t1 -c" + connections + " -d" + seconds + "s (" + wrkVersion() + ")");
      settings.put("rounds", (long) rounds);
      settings.put("secondsPerRun", (long) seconds);
      settings.put("warmupSecondsPerConfig", (long) warmupSeconds);
      settings.put("floodKeysPerRun", (long) segment);
      result.put("settings", settings);
      List<Object> configs = new ArrayList<>();
      for (Config config : CONFIGS) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", config.id());
        c.put("title", config.title());
        c.put("path", config.path());
        c.put("refused", config.refused());
        c.put("baseline", config.baseline());
        c.put("countsQueries", config.countQueries());
        configs.add(c);
      }
      result.put("configs", configs);

      log.println("HTTP warm-up: " + CONFIGS.size() + " configurations x " + warmupSeconds + " s");
      List<Object> warmup = new ArrayList<>();
      for (Config config : CONFIGS) {
        warmup.add(
            measure(
                config,
                port,
                staticScript,
                floodScript,
                valid,
                invalid,
                warmupSeconds,
                0,
                lines,
                commands));
      }
      result.put("warmup", warmup);
      List<Object> measured = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        List<Object> runs = new ArrayList<>();
        for (int i = 0; i < CONFIGS.size(); i++) {
          Config config = CONFIGS.get((i + round) % CONFIGS.size());
          runs.add(
              measure(
                  config,
                  port,
                  staticScript,
                  floodScript,
                  valid,
                  invalid,
                  seconds,
                  round + 1,
                  lines,
                  commands));
        }
        log.println("HTTP round " + (round + 1) + "/" + rounds + " done");
        log.flush();
        measured.add(runs);
      }
      result.put("rounds", measured);
      return result;
    } finally {
      commands.println("quit");
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Map<String, Object> measure(
      Config config,
      int port,
      Path staticScript,
      Path floodScript,
      String valid,
      String invalid,
      int duration,
      int segmentIndex,
      BlockingQueue<String> serverLines,
      PrintWriter commands)
      throws Exception {
    String url = "http://127.0.0.1:" + (port + config.portOffset()) + config.path();
    List<String> command =
        new ArrayList<>(
            List.of(
                "taskset",
                "-c",
                "1",
                "wrk",
                "-t1",
                "-c" + connections,
                "-d" + duration + "s",
                "--timeout",
                "5s"));
    if (config.script().equals("static")) {
      command.addAll(
          List.of(
              "-s",
              staticScript.toString(),
              url,
              "--",
              config.keyFile().equals("valid.key") ? valid : invalid));
    } else {
      command.addAll(
          List.of(
              "-s",
              floodScript.toString(),
              url,
              "--",
              work.resolve(config.keyFile()).toString(),
              Integer.toString(segmentIndex * segment),
              Integer.toString(segment)));
    }
    Map<String, Object> before = config.countQueries() ? stats(serverLines, commands) : null;
    MachineLoad.Sample loadBefore = MachineLoad.sample();
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!wrk.waitFor(duration + 60L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + String.join(" ", command) + "\n" + output);
    }
    Map<String, Object> load = MachineLoad.between(loadBefore, MachineLoad.sample());
    Map<String, Object> after = config.countQueries() ? stats(serverLines, commands) : null;
    String json =
        output
            .lines()
            .filter(l -> l.startsWith("WRK_JSON "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no WRK_JSON from wrk:\n" + output))
            .substring(9);
    @SuppressWarnings("unchecked")
    Map<String, Object> run = (Map<String, Object>) Json.parse(json);
    long requests = (Long) run.get("requests");
    double rps = requests / ((Long) run.get("durationMicros") / 1e6);
    long socketErrors =
        (Long) run.get("connectErrors")
            + (Long) run.get("readErrors")
            + (Long) run.get("writeErrors")
            + (Long) run.get("timeouts");
    long refused = (Long) run.get("statusOver399");
    if (socketErrors > 0 || requests == 0 || refused != (config.refused() ? requests : 0)) {
      throw new IllegalStateException(config.id() + ": unexpected errors or statuses " + json);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("config", config.id());
    result.put("requestsPerSecond", rps);
    result.putAll(run);
    result.putAll(load);
    if (before != null) {
      long statements = (Long) after.get("jdbcStatements") - (Long) before.get("jdbcStatements");
      result.put("jdbcStatements", statements);
      result.put("queriesPerRequest", statements / (double) requests);
    }
    log.printf(
        "  %-24s %9.0f req/s  p50 %6d us  p99 %7d us  steal %s %%%s%n",
        config.id(),
        rps,
        run.get("p50Micros"),
        run.get("p99Micros"),
        load.get("stealPercent"),
        before == null
            ? ""
            : String.format("  %.3f queries/request", result.get("queriesPerRequest")));
    log.flush();
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stats(BlockingQueue<String> lines, PrintWriter commands)
      throws InterruptedException {
    commands.println("stats");
    String line = await(lines, "STATS ", 30);
    return (Map<String, Object>) Json.parse(line.substring(6));
  }

  private static String await(BlockingQueue<String> lines, String prefix, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line != null && line.startsWith("SERVER_EXITED")) {
        throw new IllegalStateException("the benchmark server exited");
      }
    }
    throw new IllegalStateException(
        "no '" + prefix + "' from the benchmark server within " + seconds + " s");
  }

  private static void pump(InputStream in, BlockingQueue<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("READY") || line.startsWith("STATS ") || line.contains("Exception")) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      // the server is gone
    }
    lines.add("SERVER_EXITED");
  }

  private Path resource(String name) throws IOException {
    Path target = work.resolve(name);
    try (InputStream in = HttpLoad.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** The first of {@code count} consecutive free ports, from 18080 up. */
  private static int freePortBlock(int count) {
    for (int base = 18080; base < 19000; base += count) {
      boolean free = true;
      for (int i = 0; i < count && free; i++) {
        try (ServerSocket socket = new ServerSocket(base + i)) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no 4 consecutive free ports between 18080 and 19000");
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String wrkVersion() {
    try {
      Process wrk = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      wrk.waitFor();
      return output.lines().findFirst().orElse("wrk").replaceAll("\\s+Copyright.*", "").strip();
    } catch (IOException | InterruptedException e) {
      throw new UncheckedIOException(
          "wrk is not installed (apt-get install -y wrk)",
          e instanceof IOException io ? io : new IOException(e));
    }
  }
}
