package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs the forks of a JMH run interleaved: round 1 runs one fork of every benchmark (A, B, C),
 * round 2 one more of each in a rotated order (B, C, A), and so on. JMH alone runs all forks of A,
 * then all of B: a minute of steal on a shared machine then lands on one twin only and passes for a
 * difference between them. Interleaved, a disturbance hits the twins alike, and the fork-by-fork
 * scores show it.
 *
 * <p>A round during which some fork saw more than {@value #MAX_STEAL_PERCENT} % steal or other
 * processes busy on more than {@value #MAX_OTHER_CPU_PERCENT} % of the cores is <em>disturbed</em>:
 * it is run again (at most {@value #MAX_EXTRA_ROUNDS} extra rounds), and left out of the scores as
 * long as two undisturbed rounds remain; the JSON keeps every fork, marked.
 *
 * <p>The forks' results are merged into JMH's own JSON format (one entry per benchmark and
 * parameters, the raw data of every fork, score and 99.9 % error over all iterations as JMH
 * computes them), so that the report reads them as before; each entry gains {@code forks}: round,
 * score, and the steal and other processes' CPU measured during that fork.
 */
final class Interleaved {

  private Interleaved() {}

  static void run(BenchSuite.JmhRun run, Path json, Path logs) throws Exception {
    Files.createDirectories(logs);
    List<String> methods = List.of(run.methods().split("\\|"));
    List<Map<String, String>> combinations = combinations(run.params());
    Map<String, List<Map<String, Object>>> byKey = new LinkedHashMap<>();
    Map<String, List<Map<String, Object>>> forksByKey = new LinkedHashMap<>();
    java.util.Set<Long> disturbed = new java.util.TreeSet<>();
    int extra = 0;
    for (int round = 0; round < run.forks() + extra; round++) {
      boolean roundDisturbed = false;
      for (Map<String, String> params : combinations) {
        for (int i = 0; i < methods.size(); i++) {
          String method = methods.get((i + round) % methods.size());
          String tag =
              method
                  + params.values().stream().map(v -> "-" + v).reduce("", String::concat)
                  + "-r"
                  + (round + 1);
          Path forkJson = logs.resolve(tag + ".json");
          MachineLoad.Sample before = MachineLoad.sample();
          runOne(run, method, params, forkJson, logs.resolve(tag + ".log"));
          Map<String, Object> load = MachineLoad.between(before, MachineLoad.sample());
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> result =
              (List<Map<String, Object>>) Json.parse(Files.readString(forkJson));
          String key = method + params;
          for (Map<String, Object> entry : result) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
            Map<String, Object> fork = new LinkedHashMap<>();
            fork.put("round", (long) round + 1);
            fork.put("position", (long) i + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> primary = (Map<String, Object>) entry.get("primaryMetric");
            fork.put("score", primary.get("score"));
            fork.putAll(load);
            forksByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(fork);
            roundDisturbed |= isDisturbed(load);
          }
        }
      }
      if (roundDisturbed && run.forks() > 1) {
        disturbed.add((long) round + 1);
        if (extra < MAX_EXTRA_ROUNDS) {
          extra++; // one round more, in place of the one the machine spoiled
        }
      }
    }
    List<Object> merged = new ArrayList<>();
    int kept = run.forks() + extra - disturbed.size();
    byKey.forEach(
        (key, entries) -> {
          List<Map<String, Object>> forks = forksByKey.get(key);
          List<Map<String, Object>> keptEntries = new ArrayList<>();
          for (int i = 0; i < entries.size(); i++) {
            boolean drop =
                kept >= 2 && disturbed.contains((long) Report.number(forks.get(i).get("round")));
            forks
                .get(i)
                .put(
                    "disturbed",
                    disturbed.contains((long) Report.number(forks.get(i).get("round"))));
            forks.get(i).put("kept", !drop);
            if (!drop) {
              keptEntries.add(entries.get(i));
            }
          }
          Map<String, Object> entry = merge(keptEntries, forks);
          entry.put("disturbedRounds", new ArrayList<Object>(disturbed));
          merged.add(entry);
        });
    Files.writeString(json, Json.write(merged));
  }

  /** Rounds run at most in place of disturbed ones. */
  static final int MAX_EXTRA_ROUNDS = 2;

  /** A fork during which the hypervisor took more than this share of the cores is disturbed. */
  static final double MAX_STEAL_PERCENT = 5;

  /** A fork during which other processes took more than this share of the cores is disturbed. */
  static final double MAX_OTHER_CPU_PERCENT = 10;

  /** Whether the machine was busy with something else while a fork ran. */
  static boolean isDisturbed(Map<String, Object> load) {
    double steal = Report.number(load.get("stealPercent"));
    double other = Report.number(load.get("otherCpuPercent"));
    return steal > MAX_STEAL_PERCENT || other > MAX_OTHER_CPU_PERCENT;
  }

  private static void runOne(
      BenchSuite.JmhRun run, String method, Map<String, String> params, Path json, Path log)
      throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(run.benchmark().getName() + "\\." + method + "$")
            .threads(run.threads())
            .forks(1)
            .warmupIterations(run.warmups())
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(run.iterations())
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .jvmArgs("-Xms" + run.heap(), "-Xmx" + run.heap(), "-XX:+AlwaysPreTouch")
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .output(log.toString());
    params.forEach(options::param);
    new Runner(options.build()).run();
  }

  /** Every combination of the parameters' values, in the order given. */
  static List<Map<String, String>> combinations(Map<String, String[]> params) {
    List<Map<String, String>> result = new ArrayList<>();
    result.add(new LinkedHashMap<>());
    for (String name : params.keySet().stream().sorted().toList()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : result) {
        for (String value : params.get(name)) {
          Map<String, String> extended = new LinkedHashMap<>(partial);
          extended.put(name, value);
          next.add(extended);
        }
      }
      result = next;
    }
    return result;
  }

  /**
   * One JMH entry from the entries of several one-fork runs of the same benchmark: raw data
   * concatenated, score and error recomputed over all iterations (99.9 %, as JMH), the forks
   * listed.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(
      List<Map<String, Object>> entries, List<Map<String, Object>> forks) {
    Map<String, Object> merged = new LinkedHashMap<>(entries.get(0));
    merged.put("forks", (long) entries.size());
    merged.put(
        "primaryMetric",
        mergeMetric(
            entries.stream().map(e -> (Map<String, Object>) e.get("primaryMetric")).toList()));
    Map<String, Object> secondary = new LinkedHashMap<>();
    Map<String, Object> first =
        (Map<String, Object>) entries.get(0).getOrDefault("secondaryMetrics", Map.of());
    for (String name : first.keySet()) {
      List<Map<String, Object>> metrics = new ArrayList<>();
      for (Map<String, Object> entry : entries) {
        Object metric =
            ((Map<String, Object>) entry.getOrDefault("secondaryMetrics", Map.of())).get(name);
        if (metric != null) {
          metrics.add((Map<String, Object>) metric);
        }
      }
      secondary.put(name, mergeMetric(metrics));
    }
    merged.put("secondaryMetrics", secondary);
    merged.put("interleavedForks", forks);
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mergeMetric(List<Map<String, Object>> metrics) {
    Map<String, Object> merged = new LinkedHashMap<>(metrics.get(0));
    List<Object> raw = new ArrayList<>();
    ListStatistics statistics = new ListStatistics();
    for (Map<String, Object> metric : metrics) {
      for (Object fork : (List<Object>) metric.getOrDefault("rawData", List.of())) {
        raw.add(fork);
        for (Object value : (List<Object>) fork) {
          statistics.addValue(Report.number(value));
        }
      }
    }
    double error = statistics.getN() > 2 ? statistics.getMeanErrorAt(0.999) : Double.NaN;
    merged.put("score", statistics.getMean());
    merged.put("scoreError", Double.isNaN(error) ? "NaN" : (Object) error);
    merged.put(
        "scoreConfidence",
        List.of(
            statistics.getMean() - (Double.isNaN(error) ? 0 : error),
            statistics.getMean() + (Double.isNaN(error) ? 0 : error)));
    merged.remove("scorePercentiles");
    merged.put("rawData", raw);
    return merged;
  }
}
