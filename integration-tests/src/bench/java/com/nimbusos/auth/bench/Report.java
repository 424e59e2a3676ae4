package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes {@code docs/benchmarks.md} from the JSON files of one run: the tables, the ratios and
 * differences with their error bars, and each target marked met or missed. The reasons for a miss
 * and the analysis come from {@code target-notes.properties} and {@code benchmarks-notes.md} next
 * to this class: written by hand after profiling, kept with the code so that every run prints them
 * again.
 */
final class Report {

  private final Path raw;
  private final StringBuilder md = new StringBuilder();
  private final Properties notes = new Properties();
  private final List<String[]> targets = new ArrayList<>();

  Report(Path raw) throws IOException {
    this.raw = raw;
    try (InputStream in = Report.class.getResourceAsStream("target-notes.properties")) {
      if (in != null) {
        notes.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      }
    }
  }

  // --- reading
  // ----------------------------------------------------------------------------------------

  /** A JMH result: score ± error (99.9 % confidence), and bytes allocated per operation. */
  record Score(double value, double error, String unit, double bytes) {
    static final Score NONE = new Score(Double.NaN, Double.NaN, "", Double.NaN);

    boolean present() {
      return !Double.isNaN(value);
    }
  }

  private List<Map<String, Object>> jmh(String name) throws IOException {
    Path file = raw.resolve(name + ".json");
    if (!Files.exists(file)) {
      return List.of();
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries =
        (List<Map<String, Object>>) Json.parse(Files.readString(file));
    return entries;
  }

  @SuppressWarnings("unchecked")
  private static Score score(List<Map<String, Object>> entries, String method, String... params) {
    for (Map<String, Object> entry : entries) {
      String benchmark = (String) entry.get("benchmark");
      if (!benchmark.endsWith("." + method)) {
        continue;
      }
      Map<String, Object> actual = (Map<String, Object>) entry.getOrDefault("params", Map.of());
      boolean matches = true;
      for (int i = 0; i < params.length; i += 2) {
        matches &= params[i + 1].equals(String.valueOf(actual.get(params[i])));
      }
      if (!matches) {
        continue;
      }
      Map<String, Object> primary = (Map<String, Object>) entry.get("primaryMetric");
      double bytes = Double.NaN;
      Map<String, Object> secondary =
          (Map<String, Object>) entry.getOrDefault("secondaryMetrics", Map.of());
      for (Map.Entry<String, Object> metric : secondary.entrySet()) {
        if (metric.getKey().endsWith("gc.alloc.rate.norm")) {
          bytes = number(((Map<String, Object>) metric.getValue()).get("score"));
        }
      }
      return new Score(
          number(primary.get("score")),
          number(primary.get("scoreError")),
          (String) primary.get("scoreUnit"),
          bytes);
    }
    return Score.NONE;
  }

  static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> object(String name) throws IOException {
    Path file = raw.resolve(name + ".json");
    return Files.exists(file) ? (Map<String, Object>) Json.parse(Files.readString(file)) : Map.of();
  }

  // --- formatting
  // -------------------------------------------------------------------------------------

  private static String f(double value, int decimals) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  private static String ns(Score s) {
    if (!s.present()) {
      return "–";
    }
    int decimals = s.value() < 100 ? 1 : 0;
    return f(s.value(), decimals) + (Double.isNaN(s.error()) ? "" : " ± " + f(s.error(), decimals));
  }

  private static String us(Score s) {
    return !s.present()
        ? "–"
        : f(s.value(), 2) + (Double.isNaN(s.error()) ? "" : " ± " + f(s.error(), 2));
  }

  private static String bytes(Score s) {
    return Double.isNaN(s.bytes()) ? "–" : f(Math.max(0, s.bytes()), 0);
  }

  /** a ÷ b with its error, propagated from both relative errors. */
  private static double[] ratio(Score a, Score b) {
    return ratio(new double[] {a.value(), a.error()}, new double[] {b.value(), b.error()});
  }

  /** The same for two values given as {value, error}, such as two ratios. */
  private static double[] ratio(double[] a, double[] b) {
    double r = a[0] / b[0];
    double e = r * Math.sqrt(sq(a[1] / a[0]) + sq(b[1] / b[0]));
    return new double[] {r, e};
  }

  /** a − b with its error. */
  private static double[] diff(Score a, Score b) {
    return new double[] {a.value() - b.value(), Math.sqrt(sq(a.error()) + sq(b.error()))};
  }

  private static double sq(double x) {
    return x * x; // NaN (one iteration only: no error estimate) stays NaN, and is then not printed
  }

  private static String ratioText(double[] r) {
    return Double.isNaN(r[0])
        ? "–"
        : f(r[0], 2) + "×" + (Double.isNaN(r[1]) ? "" : " ± " + f(r[1], 2));
  }

  private static String diffText(double[] d, String unit) {
    return Double.isNaN(d[0])
        ? "–"
        : (d[0] >= 0 ? "+" : "−")
            + f(Math.abs(d[0]), 2)
            + (Double.isNaN(d[1]) ? "" : " ± " + f(d[1], 2))
            + " "
            + unit;
  }

  private void line(String text) {
    md.append(text).append('\n');
  }

  private void table(String... header) {
    line("| " + String.join(" | ", header) + " |");
    StringBuilder rule = new StringBuilder("|");
    for (int i = 0; i < header.length; i++) {
      rule.append(i == 0 ? "---|" : "---:|");
    }
    line(rule.toString());
  }

  /** A table of text: every column left-aligned. */
  private void textTable(String... header) {
    line("| " + String.join(" | ", header) + " |");
    line("|" + "---|".repeat(header.length));
  }

  private void row(String... cells) {
    line("| " + String.join(" | ", cells) + " |");
  }

  /** A target's verdict: decided only when the whole noise band lies on one side of the goal. */
  enum Verdict {
    MET("**met**", "met"),
    MISSED("**missed**", "missed"),
    INCONCLUSIVE("**inconclusive**", "inconclusive"),
    NOT_MEASURED("not measured", "notmeasured");

    final String text;
    final String key;

    Verdict(String text, String key) {
      this.text = text;
      this.key = key;
    }

    static Verdict of(boolean met) {
      return met ? MET : MISSED;
    }

    /**
     * A goal that every part must meet (a goal per size): missed if one part misses, else
     * inconclusive if one part cannot tell, else met.
     */
    Verdict and(Verdict other) {
      if (this == MISSED || other == MISSED) {
        return MISSED;
      }
      if (this == INCONCLUSIVE || other == INCONCLUSIVE) {
        return INCONCLUSIVE;
      }
      return this == NOT_MEASURED ? other : this;
    }
  }

  /**
   * {@code value ≤ goal}, judged on the noise band: the value's confidence interval ({@code ±
   * error}), widened to the spread of the same difference measured round by round ({@code rounds}:
   * min, max; may be {@code null}). Met when the whole band is at or below the goal, missed when it
   * is wholly above, inconclusive when the goal lies inside it: the noise is wider than what
   * separates the value from the goal.
   */
  static Verdict atMost(double value, double error, double[] rounds, double goal) {
    if (Double.isNaN(value)) {
      return Verdict.NOT_MEASURED;
    }
    double[] band = band(value, error, rounds);
    return band[1] <= goal ? Verdict.MET : band[0] > goal ? Verdict.MISSED : Verdict.INCONCLUSIVE;
  }

  /** The noise band of a value: its confidence interval widened to its per-round spread. */
  static double[] band(double value, double error, double[] rounds) {
    double e = Double.isNaN(error) ? 0 : error;
    double lo = value - e;
    double hi = value + e;
    if (rounds != null && !Double.isNaN(rounds[0])) {
      lo = Math.min(lo, rounds[0]);
      hi = Math.max(hi, rounds[1]);
    }
    return new double[] {lo, hi};
  }

  private static String noiseBandText(double[] band, String unit) {
    return "band [" + signed(band[0]) + ", " + signed(band[1]) + "]" + unit;
  }

  private static String signed(double v) {
    return (v < 0 ? "−" : "") + f(Math.abs(v), 2);
  }

  private void target(String id, String goal, String measured, boolean met) {
    target(id, goal, measured, Verdict.of(met), null);
  }

  /**
   * A target with its verdict; {@code phase} names the phase it was measured in, whose steal the
   * row states.
   */
  private void target(String id, String goal, String measured, Verdict verdict, String phase) {
    String note = notes.getProperty(id + "." + verdict.key, notes.getProperty(id, ""));
    if (note.isEmpty() && verdict == Verdict.INCONCLUSIVE) {
      note =
          "The noise band contains the goal: this run cannot tell met from missed. Rerun on a quieter machine.";
    }
    String machine = phase == null ? "" : phaseLoad(phase);
    targets.add(
        new String[] {
          goal, measured + (machine.isEmpty() ? "" : "; " + machine), verdict.text, note
        });
  }

  /** "steal 0.4 % (worst second 3.0 %)" for the phase, from the run's JSON. */
  @SuppressWarnings("unchecked")
  private String phaseLoad(String phase) {
    for (String runName : new String[] {phase + ".run", "run"}) {
      Map<String, Object> run;
      try {
        run = object(runName);
      } catch (IOException e) {
        continue;
      }
      for (Object p : (List<Object>) run.getOrDefault("phases", List.of())) {
        Map<String, Object> m = (Map<String, Object>) p;
        if (phase.equals(m.get("name")) && m.get("machine") instanceof Map<?, ?> machine) {
          return "steal "
              + percentText(((Map<String, Object>) machine).get("stealPercent"))
              + " in the phase";
        }
      }
    }
    return "";
  }

  private static String percentText(Object value) {
    double v = number(value);
    return Double.isNaN(v) ? "?" : f(v, 1) + " %";
  }

  /**
   * The per-round spread of {@code a − b} (or {@code a ÷ b}): the forks of both ran interleaved,
   * one each per round; {@code null} when the run was not interleaved.
   */
  @SuppressWarnings("unchecked")
  static double[] rounds(List<Map<String, Object>> entries, String a, String b, boolean ratio) {
    Map<Long, Double> scoresA = forkScores(entries, a);
    Map<Long, Double> scoresB = forkScores(entries, b);
    double min = Double.NaN;
    double max = Double.NaN;
    for (Map.Entry<Long, Double> round : scoresA.entrySet()) {
      Double other = scoresB.get(round.getKey());
      if (other == null) {
        continue;
      }
      double v = ratio ? round.getValue() / other : round.getValue() - other;
      min = Double.isNaN(min) ? v : Math.min(min, v);
      max = Double.isNaN(max) ? v : Math.max(max, v);
    }
    return Double.isNaN(min) || scoresA.size() < 2 ? null : new double[] {min, max};
  }

  @SuppressWarnings("unchecked")
  private static Map<Long, Double> forkScores(List<Map<String, Object>> entries, String method) {
    Map<Long, Double> scores = new java.util.TreeMap<>();
    for (Map<String, Object> entry : entries) {
      if (((String) entry.get("benchmark")).endsWith("." + method)) {
        for (Object f : (List<Object>) entry.getOrDefault("interleavedForks", List.of())) {
          Map<String, Object> fork = (Map<String, Object>) f;
          if (!Boolean.FALSE.equals(fork.get("kept"))) {
            scores.put((long) number(fork.get("round")), number(fork.get("score")));
          }
        }
      }
    }
    return scores;
  }

  /**
   * Which rounds of an interleaved run the machine disturbed, and so were left out (and run again).
   */
  @SuppressWarnings("unchecked")
  private static String disturbedNote(List<Map<String, Object>> entries) {
    if (entries.isEmpty() || !entries.get(0).containsKey("interleavedForks")) {
      return "";
    }
    List<Object> disturbed =
        (List<Object>) entries.get(0).getOrDefault("disturbedRounds", List.of());
    long rounds = ((List<Object>) entries.get(0).get("interleavedForks")).size();
    return "Forks interleaved in "
        + rounds
        + " rounds"
        + (disturbed.isEmpty()
            ? "; no round was disturbed (no fork saw more than "
                + f(Interleaved.MAX_STEAL_PERCENT, 0)
                + " % steal or other "
                + "processes on more than "
                + f(Interleaved.MAX_OTHER_CPU_PERCENT, 0)
                + " % of the cores)."
            : "; rounds "
                + disturbed
                + " were disturbed (a fork saw more than "
                + f(Interleaved.MAX_STEAL_PERCENT, 0)
                + " % steal or other processes on more than "
                + f(Interleaved.MAX_OTHER_CPU_PERCENT, 0)
                + " % of the cores): "
                + "run again, and left out of the scores while two undisturbed rounds remained.");
  }

  private static String roundsText(double[] rounds, String unit) {
    return rounds == null
        ? ""
        : ", per round " + signed(rounds[0]) + " to " + signed(rounds[1]) + unit;
  }

  // --- the document
  // -----------------------------------------------------------------------------------

  String markdown() throws IOException {
    Map<String, Object> run = object("run");
    // The sections first: they register the targets, which the top of the document lists.
    md.setLength(0);
    validation();
    requests();
    metrics();
    auditTrail();
    http();
    scale();
    String sections = md.toString();

    md.setLength(0);
    header(run);
    line("## Targets");
    line("");
    textTable("target (goal, not a test assertion)", "measured", "verdict", "why / what remains");
    for (String[] t : targets) {
      row(t);
    }
    line("");
    String top = md.toString();

    md.setLength(0);
    line("## Notes and analysis");
    line("");
    try (InputStream in = Report.class.getResourceAsStream("benchmarks-notes.md")) {
      if (in != null) {
        md.append(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).append('\n');
      }
    }
    line("");
    line("## Raw data");
    line("");
    line(
        "In [`docs/benchmarks/`](benchmarks/): one JMH JSON file per suite (`validation*.json`, `request-*.json`; "
            + "scores, 99.9 % confidence errors, every iteration, `gc.alloc.rate.norm` = bytes allocated per operation), "
            + "`heap.json`, `http.json` (every wrk run, warm-up included) and `run.json` (machine, JDK, phases, load).");
    return top + sections + md;
  }

  private void header(Map<String, Object> run) throws IOException {
    line("# Benchmarks");
    line("");
    line(
        "Generated from one run of `./mvnw -Pbench -DskipTests -pl integration-tests -am verify` (CONTRIBUTING.md, "
            + "*Benchmarks*; sources in `integration-tests/src/bench`). Do not edit by hand: the reasons and the "
            + "analysis come from `integration-tests/src/bench/resources/com/nimbusos/auth/bench/`.");
    line("");
    textTable("", "");
    row("date (UTC)", String.valueOf(run.getOrDefault("startedAt", "?")));
    row(
        "machine",
        run.getOrDefault("cpu", "?")
            + ", "
            + run.getOrDefault("cores", "?")
            + " cores, "
            + run.getOrDefault("memory", "?")
            + " memory; "
            + run.getOrDefault("os", "?"));
    row("JDK", String.valueOf(run.getOrDefault("jdk", "?")));
    row("commit", String.valueOf(run.getOrDefault("git", "?")));
    row("duration", run.getOrDefault("totalSeconds", "?") + " s (" + phases(run) + ")");
    row(
        "load average (start → end)",
        run.getOrDefault("loadAverageAtStart", "?")
            + " → "
            + run.getOrDefault("loadAverageAtEnd", "?"));
    row("other heavy Java processes", others(run));
    if (Boolean.TRUE.equals(run.get("quick"))) {
      row("**mode**", "**quick: tiny counts to check the machinery; these numbers mean nothing**");
    }
    line("");
    line(
        "Noise bands: JMH scores are `mean ± error`, the error being JMH's 99.9 % confidence half-interval over "
            + "all measurement iterations of all forks; differences and ratios carry the errors of both sides. The forks "
            + "of twins run interleaved (round 1: one fork of each, A B C; round 2: B C A; ...), so a disturbance hits "
            + "them alike, and a difference is also computed round by round. HTTP figures are medians over interleaved "
            + "rounds, with the min–max band of the per-round ratios; `/open` measured twice a round gives the band that "
            + "is pure noise.");
    line("");
    line(
        "Verdicts: a target is **met** when its whole noise band (confidence interval, widened to the spread of "
            + "the per-round values) lies on the goal's side, **missed** when it lies wholly on the other side, and "
            + "**inconclusive** when the goal falls inside it: the machine was too noisy for this run to tell.");
    line("");
    machineTable(run);
  }

  /** Steal and other processes' CPU per phase, as read from /proc while it ran. */
  @SuppressWarnings("unchecked")
  private void machineTable(Map<String, Object> run) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object p : (List<Object>) run.getOrDefault("phases", List.of())) {
      rows.add(new Object[] {p, null});
    }
    for (String own :
        new String[] {
          "validation-jdbc",
          "metrics",
          "request-jaxrs",
          "request-servlet",
          "validation",
          "validation-index",
          "key-index",
          "heap",
          "http"
        }) {
      Map<String, Object> separate = object(own + ".run");
      for (Object p : (List<Object>) separate.getOrDefault("phases", List.of())) {
        // One run of several JMH benchmarks writes the same phases into each one's file: once.
        if (seen.add(separate.get("startedAt") + " " + ((Map<String, Object>) p).get("name"))) {
          rows.add(new Object[] {p, separate.get("startedAt") + ", commit " + separate.get("git")});
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    line(
        "**The machine during each phase** (from `/proc/stat` and `/proc/loadavg`, sampled every second; steal "
            + "is CPU time the hypervisor gave to other guests, in percent of both cores; other processes = busy CPU "
            + "not spent by the benchmark's own processes):");
    line("");
    table(
        "phase",
        "seconds",
        "steal %",
        "steal %, worst second",
        "other processes' CPU %",
        "load (start → max → end)");
    for (Object[] r : rows) {
      Map<String, Object> phase = (Map<String, Object>) r[0];
      Map<String, Object> m = (Map<String, Object>) phase.getOrDefault("machine", Map.of());
      row(
          phase.get("name") + (r[1] == null ? "" : " (measured on its own at " + r[1] + ")"),
          String.valueOf(phase.get("seconds")),
          f(number(m.get("stealPercent")), 1),
          f(number(m.get("stealPercentWorstSecond")), 1),
          f(number(m.get("otherCpuPercent")), 1),
          f(number(m.get("load1Start")), 2)
              + " → "
              + f(number(m.get("load1Max")), 2)
              + " → "
              + f(number(m.get("load1End")), 2));
    }
    line("");
  }

  @SuppressWarnings("unchecked")
  private static String phases(Map<String, Object> run) {
    List<String> parts = new ArrayList<>();
    for (Object p : (List<Object>) run.getOrDefault("phases", List.of())) {
      Map<String, Object> phase = (Map<String, Object>) p;
      parts.add(phase.get("name") + " " + phase.get("seconds") + " s");
    }
    return String.join(", ", parts);
  }

  @SuppressWarnings("unchecked")
  private static String others(Map<String, Object> run) {
    List<String> seen = new ArrayList<>();
    List<Object> all = new ArrayList<>();
    all.addAll((List<Object>) run.getOrDefault("otherJavaAtStart", List.of()));
    for (Object p : (List<Object>) run.getOrDefault("phases", List.of())) {
      all.addAll(
          (List<Object>) ((Map<String, Object>) p).getOrDefault("otherJavaAfter", List.of()));
    }
    all.addAll((List<Object>) run.getOrDefault("otherJavaAtEnd", List.of()));
    for (Object o : all) {
      if (!seen.contains(String.valueOf(o))) {
        seen.add(String.valueOf(o));
      }
    }
    return seen.isEmpty()
        ? "none seen (checked at start, after each phase, at end)"
        : "**" + String.join(", ", seen) + "** (the machine was not quiet)";
  }

  // --- 1. validation
  // ----------------------------------------------------------------------------------

  /**
   * The valid path with {@code nimbus.auth.store.cache-keys} raised to the keys in use, against a
   * floor measured again in the same phase; the ratios by keys, for the validation target.
   */
  private List<String> sizedCache() throws IOException {
    List<Map<String, Object>> sized = jmh("validation-sized-cache");
    List<String> ratios = new ArrayList<>();
    if (sized.isEmpty()) {
      return ratios;
    }
    line(
        "**SHA-256, one thread, the validator's cache sized to the keys in use** "
            + "(`nimbus.auth.store.cache-keys` = four times the keys, as docs/configuration.md advises for the JDBC store, "
            + "where the default is 262,144; the floor measured again in this phase)");
    line("");
    table("keys", "floor", "valid key", "valid ÷ floor", "valid B/op");
    for (String keys : sizes(sized)) {
      Score floor = score(sized, "floor", "keys", keys);
      Score valid = score(sized, "validSizedCache", "keys", keys);
      double[] r = ratio(valid, floor);
      ratios.add(f(Double.parseDouble(keys), 0) + ": " + ratioText(r));
      row(f(Double.parseDouble(keys), 0), ns(floor), ns(valid), ratioText(r), bytes(valid));
    }
    line("");
    return ratios;
  }

  private void validation() throws IOException {
    List<Map<String, Object>> v = jmh("validation");
    List<Map<String, Object>> pepper = jmh("validation-pepper");
    List<Map<String, Object>> two = jmh("validation-2threads");
    List<Map<String, Object>> jdbc = jmh("validation-jdbc");
    line("## 1. Validation hot path (JMH)");
    line("");
    line(
        "`StoreKeyValidator.validate` over an `InMemoryKeyStore`, against the **floor** measured in the same run "
            + "over the same keys: key bytes → SHA-256 → `HashMap` lookup → `MessageDigest.isEqual` (per-thread "
            + "`MessageDigest`, nothing else). Each operation presents the next of all N valid keys (a working set of "
            + "N), of 1,024 well-formed unknown keys, or of 1,024 keys with a bad checksum. ns/op; B/op from `-prof gc`.");
    line("");
    line("**SHA-256, one thread**");
    line("");
    table(
        "keys",
        "floor",
        "valid key",
        "valid ÷ floor",
        "unknown key",
        "floor, unknown key",
        "unknown ÷ its floor",
        "bad checksum");
    List<String> sizes = sizes(v);
    Verdict withinFloor = sizes.isEmpty() ? Verdict.NOT_MEASURED : Verdict.MET;
    List<String> worst = new ArrayList<>();
    for (String keys : sizes) {
      Score floor = score(v, "floor", "keys", keys);
      Score valid = score(v, "valid", "keys", keys);
      Score unknown = score(v, "unknown", "keys", keys);
      Score floorUnknown = score(v, "floorUnknown", "keys", keys);
      double[] r = ratio(valid, floor);
      // Judged on each size's band, as every other target is, not on its mean alone.
      withinFloor = withinFloor.and(atMost(r[0], r[1], null, 1.5));
      worst.add(f(Double.parseDouble(keys), 0) + ": " + ratioText(r));
      row(
          f(Double.parseDouble(keys), 0),
          ns(floor),
          ns(valid),
          ratioText(r),
          ns(unknown),
          ns(floorUnknown),
          ratioText(ratio(unknown, floorUnknown)),
          ns(score(v, "badChecksum", "keys", keys)));
    }
    line("");
    table("keys", "floor B/op", "valid B/op", "unknown B/op", "bad checksum B/op");
    for (String keys : sizes) {
      row(
          f(Double.parseDouble(keys), 0),
          bytes(score(v, "floor", "keys", keys)),
          bytes(score(v, "valid", "keys", keys)),
          bytes(score(v, "unknown", "keys", keys)),
          bytes(score(v, "badChecksum", "keys", keys)));
    }
    line("");
    List<String> sizedRatios = sizedCache();
    List<String> pepperRatios = new ArrayList<>();
    Verdict pepperWithin = Verdict.MET;
    if (!pepper.isEmpty()) {
      line(
          "**HMAC-SHA256 with a pepper, one thread** (the floor hashes with a per-thread `Mac` keyed once)");
      line("");
      table(
          "keys",
          "floor (HMAC)",
          "valid key",
          "valid ÷ floor",
          "unknown key",
          "valid B/op",
          "unknown B/op");
      for (String keys : sizes(pepper)) {
        Score floor = score(pepper, "floor", "keys", keys);
        Score valid = score(pepper, "valid", "keys", keys);
        Score unknown = score(pepper, "unknown", "keys", keys);
        double[] r = ratio(valid, floor);
        pepperWithin = pepperWithin.and(atMost(r[0], r[1], null, 1.5));
        pepperRatios.add(f(Double.parseDouble(keys), 0) + ": " + ratioText(r));
        row(
            f(Double.parseDouble(keys), 0),
            ns(floor),
            ns(valid),
            ratioText(r),
            ns(unknown),
            bytes(valid),
            bytes(unknown));
      }
      line("");
    }
    if (!two.isEmpty()) {
      line("**SHA-256, two threads** (ns per operation per thread; both cores busy)");
      line("");
      table("keys", "floor", "valid key", "valid ÷ floor", "unknown key", "valid B/op");
      for (String keys : sizes(two)) {
        Score floor = score(two, "floor", "keys", keys);
        Score valid = score(two, "valid", "keys", keys);
        row(
            f(Double.parseDouble(keys), 0),
            ns(floor),
            ns(valid),
            ratioText(ratio(valid, floor)),
            ns(score(two, "unknown", "keys", keys)),
            bytes(valid));
      }
      line("");
    }
    if (!jdbc.isEmpty()) {
      line(
          "**JDBC store** (H2 in memory, 1,000 keys; set-up checks that 40,000 cached validations cost no query, "
              + "that uncached unknown keys query and indexed ones do not)"
              + runNote("validation-jdbc"));
      line("");
      table("", "ns/op", "B/op", "÷ floor");
      Score floor = score(jdbc, "floor");
      row("floor", ns(floor), bytes(floor), "1");
      Score hit = score(jdbc, "cachedValid");
      row("cached hit, valid key", ns(hit), bytes(hit), ratioText(ratio(hit, floor)));
      Score miss = score(jdbc, "cachedUnknown");
      row("negative-cache hit, unknown key", ns(miss), bytes(miss), ratioText(ratio(miss, floor)));
      Score query = score(jdbc, "uncachedUnknown");
      Score indexedMiss = score(jdbc, "indexedUnknown");
      if (query.present() && indexedMiss.present()) {
        row(
            "unknown key not cached: one query",
            ns(query),
            bytes(query),
            ratioText(ratio(query, floor)));
        row(
            "the same, every key indexed (`nimbus.auth.store.index=true`): no query",
            ns(indexedMiss),
            bytes(indexedMiss),
            ratioText(ratio(indexedMiss, floor)));
        line("");
        line(
            "A flood of distinct well-formed unknown keys costs each one query by default (the negative cache "
                + "only helps with repeats); with the index, none: "
                + ratioText(ratio(indexedMiss, query))
                + " of the query's time per key, measured in the same run.");
      }
      line("");
    }
    if (!sizes.isEmpty()) {
      target(
          "validation",
          "validation within 1.5× the measured floor (valid key, SHA-256)",
          "valid ÷ floor by keys: "
              + String.join(", ", worst)
              + (sizedRatios.isEmpty()
                  ? ""
                  : "; with the cache sized for the keys in use (four slots a key): "
                      + String.join(", ", sizedRatios)),
          withinFloor,
          null);
    }
    if (!pepperRatios.isEmpty()) {
      target(
          "validation-pepper",
          "same, with an HMAC pepper (against the HMAC floor)",
          "valid ÷ floor by keys: " + String.join(", ", pepperRatios),
          pepperWithin,
          null);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> sizes(List<Map<String, Object>> entries) {
    List<String> sizes = new ArrayList<>();
    for (Map<String, Object> entry : entries) {
      Object keys = ((Map<String, Object>) entry.getOrDefault("params", Map.of())).get("keys");
      if (keys != null && !sizes.contains(keys.toString())) {
        sizes.add(keys.toString());
      }
    }
    sizes.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    return sizes;
  }

  // --- 2. whole requests in process
  // -------------------------------------------------------------------

  private void requests() throws IOException {
    List<Map<String, Object>> jaxrs = jmh("request-jaxrs");
    List<Map<String, Object>> servlet = jmh("request-servlet");
    line("## 2. Whole request in process (JMH)");
    line("");
    if (!jaxrs.isEmpty()) {
      line(
          "**JAX-RS**: Jersey's `ApplicationHandler.apply` (no sockets): matching, filters, resource, response "
              + "filters, entity written to a stream. Twin apps with the same one-line resource: `/open` (no auth), "
              + "`/secured` (`NimbusAuthFeature`, `StoreKeyValidator` over an in-memory store of 1,000 keys, throttling "
              + "off, counting audit sink), `/dropwizard` (dropwizard-auth 5.0.1 `AuthFilter` + an `Authenticator` doing "
              + "the floor's lookup, registered as its manual says: `AuthDynamicFeature`, `RolesAllowedDynamicFeature`, "
              + "`AuthValueFactoryProvider.Binder`; the resource is `@PermitAll`, i.e. any authenticated caller). Each "
              + "resource method takes the injected `SecurityContext` and returns a constant. Valid keys cycle through "
              + "1,000 keys; invalid = well-formed unknown keys (1,024, in the negative cache).");
      line("");
      table("endpoint", "key", "µs/request", "B/request", "difference to /open");
      Score open = score(jaxrs, "open");
      row("/open", "(ignored)", us(open), bytes(open), "");
      String[][] rows = {
        {"securedValid", "/secured", "valid → 200"},
        {"securedInvalid", "/secured", "invalid → 401"},
        {"dropwizardValid", "/dropwizard", "valid → 200"},
        {"dropwizardInvalid", "/dropwizard", "invalid → 401"},
        {"contractValid", "/contract (the contract floor)", "valid → 200"},
        {"contractInvalid", "/contract (the contract floor)", "invalid → 401"},
        {"securedLoggingValid", "/secured, logging audit sink", "valid → 200"},
        {"securedLoggingInvalid", "/secured, logging audit sink", "invalid → 401"}
      };
      for (String[] r : rows) {
        Score s = score(jaxrs, r[0]);
        row(r[1], r[2], us(s), bytes(s), diffText(diff(s, open), "µs"));
      }
      line("");
      line(disturbedNote(jaxrs));
      line("");
      Score valid = score(jaxrs, "securedValid");
      Score invalid = score(jaxrs, "securedInvalid");
      Score dwInvalid = score(jaxrs, "dropwizardInvalid");
      Score logValid = score(jaxrs, "securedLoggingValid");
      Score logInvalid = score(jaxrs, "securedLoggingInvalid");
      line(
          "Cost of the logging audit sink (`nimbus.auth.audit.sink=logging`, `LoggingAuditSink`: one JSON line per "
              + "decision through java.util.logging to a `FileHandler`, which writes and flushes each record), over "
              + "the counting sink: "
              + diffText(diff(logValid, valid), "µs")
              + " per allowed request, "
              + diffText(diff(logInvalid, invalid), "µs")
              + " per refused one. The default sink is the file trail, measured under *Durable audit trail* below.");
      line("");
      contractFloorNote(jaxrs, "a request filter and a response filter");
      double[] own = diff(valid, open);
      double[] own401 = diff(invalid, open);
      double[] vsDw = ratio(invalid, dwInvalid);
      double[] ownRounds = rounds(jaxrs, "securedValid", "open", false);
      double[] own401Rounds = rounds(jaxrs, "securedInvalid", "open", false);
      double[] vsDwValid = diff(valid, score(jaxrs, "dropwizardValid"));
      double[] vsDwValidRounds = rounds(jaxrs, "securedValid", "dropwizardValid", false);
      double[] dwOwn = diff(score(jaxrs, "dropwizardValid"), open);
      target(
          "filter-valid",
          "JAX-RS filter's own cost ≤ 0.5 µs, valid key (in process, /secured − /open)",
          diffText(own, "µs")
              + roundsText(ownRounds, " µs")
              + " ("
              + noiseBandText(band(own[0], own[1], ownRounds), " µs")
              + ")"
              + contractFloorText(jaxrs, "contractValid"),
          atMost(own[0], own[1], ownRounds, 0.5),
          "request-jaxrs");
      target(
          "filter-valid-vs-dropwizard",
          "JAX-RS filter's own cost, valid key, below dropwizard-auth's in the same run",
          "Nimbus "
              + diffText(own, "µs")
              + ", dropwizard-auth "
              + diffText(dwOwn, "µs")
              + "; Nimbus − dropwizard "
              + diffText(vsDwValid, "µs")
              + roundsText(vsDwValidRounds, " µs")
              + contractFloorText(jaxrs, "contractValid"),
          atMost(vsDwValid[0], vsDwValid[1], vsDwValidRounds, 0),
          "request-jaxrs");
      target(
          "filter-401",
          "JAX-RS filter's own cost ≤ 1.5 µs, 401 (in process, /secured − /open)",
          diffText(own401, "µs") + roundsText(own401Rounds, " µs"),
          atMost(own401[0], own401[1], own401Rounds, 1.5),
          "request-jaxrs");
      target(
          "reject-vs-open",
          "a rejected request no dearer than /open (in process)",
          us(invalid)
              + " vs "
              + us(open)
              + " µs: "
              + diffText(own401, "µs")
              + roundsText(own401Rounds, " µs"),
          atMost(own401[0], own401[1], own401Rounds, 0),
          "request-jaxrs");
      double[] vsDwRounds = rounds(jaxrs, "securedInvalid", "dropwizardInvalid", true);
      target(
          "reject-vs-dropwizard",
          "a rejected request ≤ 0.6× dropwizard's rejected request (in process)",
          ratioText(vsDw)
              + " ("
              + us(invalid)
              + " vs "
              + us(dwInvalid)
              + " µs)"
              + roundsText(vsDwRounds, ""),
          atMost(vsDw[0], vsDw[1], vsDwRounds, 0.6),
          "request-jaxrs");
    }
    if (!servlet.isEmpty()) {
      line(
          "**Servlet filter** on embedded Jetty 12.1 (ee10), driven in process through Jetty's `LocalConnector` "
              + "(real HTTP/1.1 parsing and writing over an in-memory endpoint, one persistent connection, no sockets). "
              + "Twins in one context: `/open` (the servlet alone) and `/secured` (the same servlet behind `ApiKeyFilter`, "
              + "same validator and settings as above).");
      line("");
      table("endpoint", "key", "µs/request", "B/request", "difference to /open");
      Score open = score(servlet, "open");
      row("/open", "(ignored)", us(open), bytes(open), "");
      Score valid = score(servlet, "securedValid");
      Score invalid = score(servlet, "securedInvalid");
      row("/secured", "valid → 200", us(valid), bytes(valid), diffText(diff(valid, open), "µs"));
      row(
          "/secured",
          "invalid → 401",
          us(invalid),
          bytes(invalid),
          diffText(diff(invalid, open), "µs"));
      for (String[] r :
          new String[][] {{"contractValid", "valid → 200"}, {"contractInvalid", "invalid → 401"}}) {
        Score s = score(servlet, r[0]);
        row("/contract (the contract floor)", r[1], us(s), bytes(s), diffText(diff(s, open), "µs"));
      }
      line("");
      line(disturbedNote(servlet));
      line("");
      contractFloorNote(servlet, "a servlet filter");
      double[] own = diff(valid, open);
      double[] own401 = diff(invalid, open);
      double[] ownRounds = rounds(servlet, "securedValid", "open", false);
      double[] own401Rounds = rounds(servlet, "securedInvalid", "open", false);
      target(
          "servlet-valid",
          "servlet filter's own cost ≤ 0.5 µs, valid key (Jetty in process, /secured − /open)",
          diffText(own, "µs")
              + roundsText(ownRounds, " µs")
              + " ("
              + noiseBandText(band(own[0], own[1], ownRounds), " µs")
              + ")"
              + contractFloorText(servlet, "contractValid"),
          atMost(own[0], own[1], ownRounds, 0.5),
          "request-servlet");
      target(
          "servlet-401",
          "servlet filter's own cost ≤ 1.0 µs, 401 (Jetty in process, /secured − /open)",
          diffText(own401, "µs")
              + roundsText(own401Rounds, " µs")
              + " ("
              + noiseBandText(band(own401[0], own401[1], own401Rounds), " µs")
              + ")"
              + contractFloorText(servlet, "contractInvalid"),
          atMost(own401[0], own401[1], own401Rounds, 1.0),
          "request-servlet");
    }
  }

  /**
   * What the contract floor ({@link ContractFloor}) of an adapter costs over {@code /open}, and
   * what Nimbus costs over it: the part of Nimbus' cost that is its own choice, not the contract's.
   */
  private void contractFloorNote(List<Map<String, Object>> entries, String shape) {
    Score open = score(entries, "open");
    Score floorValid = score(entries, "contractValid");
    if (!floorValid.present()) {
      return;
    }
    Score floorInvalid = score(entries, "contractInvalid");
    line(
        "The **contract floor** (`/contract`, `ContractFloor`): the least that keeps Nimbus' HTTP contract, as "
            + shape
            + ": the floor's lookup (SHA-256, map, constant-time compare), the caller as the principal, `401` with the "
            + "documented headers and JSON body, `X-Request-Id` on every response; no request firewall, no audit event, "
            + "no usage accounting, a counter for the request id. Over `/open`: "
            + diffText(diff(floorValid, open), "µs")
            + " with a valid key, "
            + diffText(diff(floorInvalid, open), "µs")
            + " refused. Nimbus over the contract floor: "
            + diffText(diff(score(entries, "securedValid"), floorValid), "µs")
            + roundsText(rounds(entries, "securedValid", "contractValid", false), " µs")
            + " valid, "
            + diffText(diff(score(entries, "securedInvalid"), floorInvalid), "µs")
            + roundsText(rounds(entries, "securedInvalid", "contractInvalid", false), " µs")
            + " refused: what the firewall, the audit event and its completion, the usage accounting and an "
            + "unguessable request id cost together. A goal below the contract floor's own cost is below what any "
            + "implementation of the contract can reach.");
    line("");
  }

  /** The contract floor's own cost, for a target's measured column; empty when it was not run. */
  private static String contractFloorText(List<Map<String, Object>> entries, String method) {
    Score floor = score(entries, method);
    return !floor.present()
        ? ""
        : "; the contract floor " + diffText(diff(floor, score(entries, "open")), "µs");
  }

  // --- 2b. metrics
  // ------------------------------------------------------------------------------------

  private void metrics() throws IOException {
    List<Map<String, Object>> metrics = jmh("metrics");
    if (metrics.isEmpty()) {
      return;
    }
    line("### Metrics on (JMH)");
    line("");
    line(
        "The engine's `decideAndRecord` alone (no HTTP), with no metrics and with Micrometer (`nimbus.auth.metrics="
            + "micrometer` without CDI: Micrometer's global composite registry with one `SimpleMeterRegistry` in it; one "
            + "counter increment and, for a well-formed key, one timer record per decision), same validator (1,000 keys) "
            + "and counting audit sink, in the same run"
            + runNote("metrics")
            + ".");
    line("");
    table(
        "key",
        "no metrics, ns",
        "Micrometer, ns",
        "B/op (none → Micrometer)",
        "cost of metrics",
        "ratio");
    for (String[] r : new String[][] {{"Valid", "valid → allowed"}, {"Unknown", "unknown → 401"}}) {
      Score none = score(metrics, "none" + r[0]);
      Score on = score(metrics, "micrometer" + r[0]);
      row(
          r[1],
          ns(none),
          ns(on),
          bytes(none) + " → " + bytes(on),
          diffText(diff(on, none), "ns"),
          ratioText(ratio(on, none)));
    }
    line("");
  }

  // --- 2c. the durable audit trail
  // --------------------------------------------------------------------

  private void auditTrail() throws IOException {
    String[][] runs = {{"audit-file", "1"}, {"audit-file-2threads", "2"}};
    if (jmh(runs[0][0]).isEmpty() && jmh(runs[1][0]).isEmpty()) {
      return;
    }
    line("### Durable audit trail (JMH)");
    line("");
    line(
        "The engine's `decideAndRecord` for a valid key (store validator over 1,000 in-memory keys, no metrics) with the "
            + "counting audit sink and with `FileAuditSink` (`nimbus.auth.audit.sink=file`, `fsync=none`: each record is "
            + "copied into the memory-mapped trail file, where it survives `kill -9`; the sealing thread hashes and signs "
            + "on the side, on the same cores), both in the same run"
            + notes(runNote(runs[0][0]), runNote(runs[1][0]))
            + ".");
    line("");
    table(
        "threads",
        "counting sink, ns",
        "file sink, ns",
        "B/op (counting → file)",
        "cost of the file trail",
        "ratio");
    boolean met = true;
    StringBuilder measured = new StringBuilder();
    for (String[] run : runs) {
      List<Map<String, Object>> entries = jmh(run[0]);
      Score counting = score(entries, "countingValid");
      Score file = score(entries, "fileValid");
      double[] cost = diff(file, counting);
      row(
          run[1],
          ns(counting),
          ns(file),
          bytes(counting) + " → " + bytes(file),
          diffText(cost, "ns"),
          ratioText(ratio(file, counting)));
      met &= cost[0] <= 1000;
      measured
          .append(measured.length() == 0 ? "" : ", ")
          .append(run[1])
          .append(" thread(s) ")
          .append(diffText(cost, "ns"));
    }
    line("");
    target(
        "audit-file",
        "the file audit trail costs ≤ 1 µs per decision over the counting sink (1 and 2 threads)",
        measured.toString(),
        met);
  }

  /** Two runs' notes, once if they say the same. */
  private static String notes(String first, String second) {
    return first.equals(second) ? first : first + second;
  }

  /**
   * " {@code subject} (measured on its own at …)." when part {@code name} was measured apart from
   * the rest, else empty.
   */
  private String ownRun(String subject, String name) throws IOException {
    String note = runNote(name);
    return note.isEmpty() ? "" : " " + subject + note + ".";
  }

  /** When a JMH run was measured apart from the rest (its {@code <name>.run.json}), say so. */
  @SuppressWarnings("unchecked")
  private String runNote(String name) throws IOException {
    Map<String, Object> run = object(name + ".run");
    if (run.isEmpty()) {
      return "";
    }
    String steal = "";
    for (Object phase : (List<Object>) run.getOrDefault("phases", List.of())) {
      Map<String, Object> p = (Map<String, Object>) phase;
      if (name.equals(p.get("name"))
          && p.get("cpuStealPercent") instanceof Number percent
          && percent.doubleValue() >= 0) {
        steal = ", CPU steal during the run " + f(percent.doubleValue(), 1) + " %";
      }
    }
    return " (measured on its own at "
        + run.get("startedAt")
        + ", commit "
        + run.get("git")
        + ", other heavy Java processes at start: "
        + run.get("otherJavaAtStart")
        + steal
        + ")";
  }

  // --- 3. HTTP
  // ----------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private void http() throws IOException {
    Map<String, Object> http = object("http");
    if (http.isEmpty()) {
      return;
    }
    Map<String, Object> settings = (Map<String, Object>) http.get("settings");
    List<Map<String, Object>> configs = (List<Map<String, Object>>) (List<?>) http.get("configs");
    List<List<Map<String, Object>>> rounds =
        (List<List<Map<String, Object>>>) (List<?>) http.get("rounds");
    line("## 3. HTTP under load (wrk, loopback)");
    line("");
    line(
        "The same twins on Jersey 3.1 + Grizzly (one port each, same defaults), server on core 0 and wrk on core 1 "
            + "(`taskset`), "
            + settings.get("wrk")
            + ", warm-up "
            + settings.get("warmupSecondsPerConfig")
            + " s per "
            + "configuration, then "
            + settings.get("rounds")
            + " interleaved rounds of "
            + settings.get("secondsPerRun")
            + " s (the order rotates each round). Ratios are taken within a round, to the baseline of the same round. "
            + "Latencies are wrk's, under full load (closed loop), medians over rounds."
            + ownRun("This section", "http"));
    line("");
    table(
        "configuration",
        "req/s (median)",
        "p50 µs",
        "p99 µs",
        "ratio to baseline: median [min–max]",
        "queries/request");
    Function<String, List<Map<String, Object>>> runsOf =
        id -> {
          List<Map<String, Object>> runs = new ArrayList<>();
          for (List<Map<String, Object>> round : rounds) {
            for (Map<String, Object> run : round) {
              if (id.equals(run.get("config"))) {
                runs.add(run);
              }
            }
          }
          return runs;
        };
    double[] noise = null;
    for (Map<String, Object> config : configs) {
      String id = (String) config.get("id");
      List<Map<String, Object>> runs = runsOf.apply(id);
      double rps = median(runs, "requestsPerSecond");
      String baseline = (String) config.get("baseline");
      double[] band = baseline == null ? null : band(runs, runsOf.apply(baseline));
      if (id.equals("open-again")) {
        noise = band;
      }
      String queries =
          Boolean.TRUE.equals(config.get("countsQueries"))
              ? f(median(runs, "queriesPerRequest"), 3)
              : "";
      row(
          config.get("title") + (baseline == null ? " — baseline" : ""),
          f(rps, 0),
          f(median(runs, "p50Micros"), 0),
          f(median(runs, "p99Micros"), 0),
          band == null ? "" : bandText(band, baseline),
          queries);
    }
    line("");
    double[] valid = band(runsOf.apply("secured-200"), runsOf.apply("open"));
    double[] refused = band(runsOf.apply("secured-401"), runsOf.apply("open"));
    double[] refusedVsValid = band(runsOf.apply("secured-401"), runsOf.apply("secured-200"));
    double[] dwValid = band(runsOf.apply("dropwizard-200"), runsOf.apply("open"));
    double[] dwRefused = band(runsOf.apply("dropwizard-401"), runsOf.apply("open"));
    line(
        "401 throughput ÷ 200 throughput on /secured, per round: "
            + bandText(refusedVsValid, "secured-200")
            + ". Noise band (/open ÷ /open of the same round): "
            + bandText(noise, "open")
            + ".");
    line("");
    // "no difference outside the noise band": not slower than the slowest /open ÷ /open ratio of
    // the run. A band
    // wider than ±5 % (steal, other processes) could hide the whole cost of the filter: then it
    // tells nothing.
    Verdict httpVerdict;
    if (noise == null || Double.isNaN(valid[0]) || Double.isNaN(refused[0])) {
      httpVerdict = Verdict.NOT_MEASURED;
    } else if (valid[0] < noise[1] || refused[0] < noise[1]) {
      httpVerdict = noise[2] - noise[1] > 0.10 ? Verdict.INCONCLUSIVE : Verdict.MISSED;
    } else {
      httpVerdict = noise[2] - noise[1] > 0.10 ? Verdict.INCONCLUSIVE : Verdict.MET;
    }
    target(
        "http-open",
        "over HTTP, /secured ÷ /open inside the noise band (/open ÷ /open of the same rounds, "
            + "itself no wider than ±5 %)",
        "200: "
            + f(valid[0], 3)
            + " ["
            + f(valid[1], 3)
            + "–"
            + f(valid[2], 3)
            + "], 401: "
            + f(refused[0], 3)
            + " ["
            + f(refused[1], 3)
            + "–"
            + f(refused[2], 3)
            + "] of /open; noise band "
            + f(noise == null ? Double.NaN : noise[1], 3)
            + "–"
            + f(noise == null ? Double.NaN : noise[2], 3)
            + " (dropwizard: 200 "
            + f(dwValid[0], 3)
            + ", 401 "
            + f(dwRefused[0], 3)
            + ")",
        httpVerdict,
        "http");
    target(
        "http-401",
        "over HTTP, 401 throughput ≥ 200 throughput",
        "401 ÷ 200 per round: " + bandText(refusedVsValid, "200"),
        refusedVsValid[0] >= 1.0);
    if (lastConfig(configs, "flood-jdbc-wellformed") != null) {
      double bad = median(runsOf.apply("flood-jdbc-badchecksum"), "queriesPerRequest");
      double good = median(runsOf.apply("flood-jdbc-wellformed"), "queriesPerRequest");
      double[] badBand = band(runsOf.apply("flood-jdbc-badchecksum"), runsOf.apply("flood-open"));
      double[] goodBand = band(runsOf.apply("flood-jdbc-wellformed"), runsOf.apply("flood-open"));
      target(
          "flood-checksum",
          "a flood of distinct bad keys (made up: the checksum fails) against the JDBC store "
              + "costs no query each",
          f(bad, 4) + " queries/request; throughput " + f(badBand[0], 2) + "× the flood baseline",
          bad < 0.01);
      target(
          "flood-wellformed",
          "the same with distinct well-formed keys (checksum computed by the attacker)",
          f(good, 3) + " queries/request; throughput " + f(goodBand[0], 2) + "× the flood baseline",
          good < 0.5);
    }
  }

  private static Map<String, Object> lastConfig(List<Map<String, Object>> configs, String id) {
    for (Map<String, Object> config : configs) {
      if (id.equals(config.get("id"))) {
        return config;
      }
    }
    return null;
  }

  private static double median(List<Map<String, Object>> runs, String field) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Object> run : runs) {
      values.add(number(run.get(field)));
    }
    return median(values);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Per-round throughput ratios of {@code runs} to {@code baseline}: median, min, max. */
  private static double[] band(List<Map<String, Object>> runs, List<Map<String, Object>> baseline) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(runs.size(), baseline.size()); i++) {
      ratios.add(
          number(runs.get(i).get("requestsPerSecond"))
              / number(baseline.get(i).get("requestsPerSecond")));
    }
    if (ratios.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {median(ratios), Collections.min(ratios), Collections.max(ratios)};
  }

  private static String bandText(double[] band, String baseline) {
    return band == null ? "–" : f(band[0], 3) + " [" + f(band[1], 3) + "–" + f(band[2], 3) + "]";
  }

  // --- 4c. JSON store, last use ---

  @SuppressWarnings("unchecked")
  private void jsonLastUse() throws IOException {
    Path file = raw.resolve("json-last-use.json");
    if (!Files.exists(file)) {
      return;
    }
    List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.parse(Files.readString(file));
    line(
        "**JSON file store, one batch write of last uses** (`JsonFileKeyStore.recordLastUsed`, which the validator "
            + "calls every 10 s with the keys used meanwhile; own JVM; 100 keys: the median of 5 batches after 3 "
            + "unmeasured, every key: one batch; *MB written*: appended to the journal beside the file, or the whole "
            + "file when the batch folded the journal into it):");
    line("");
    table("keys in the file", "keys used in the batch", "seconds", "file MB", "MB written");
    double small = Double.NaN;
    double large = Double.NaN;
    double smallKeys = Double.NaN;
    double largeKeys = Double.NaN;
    double whole = Double.NaN; // every key of the largest file used: what a rewrite of it costs
    for (Map<String, Object> r : rows) {
      double keys = number(r.get("keysInStore"));
      double used = number(r.get("keysUsed"));
      double seconds = number(r.get("seconds"));
      // Results from before the journal have no bytesWritten: every batch rewrote the file.
      Object written = r.containsKey("bytesWritten") ? r.get("bytesWritten") : r.get("fileBytes");
      row(
          f(keys, 0),
          f(used, 0),
          f(seconds, 3),
          f(number(r.get("fileBytes")) / 1e6, 1),
          f(number(written) / 1e6, 3));
      if (used == 100 && (Double.isNaN(smallKeys) || keys < smallKeys)) {
        small = seconds;
        smallKeys = keys;
      }
      if (used == 100 && (Double.isNaN(largeKeys) || keys > largeKeys)) {
        large = seconds;
        largeKeys = keys;
      }
      if (used == keys && keys >= largeKeys) {
        whole = seconds;
      }
    }
    line("");
    // Proportional to the keys used, not to the store: 100 keys used cost the same in a small and
    // a large file (within 2×), or, where both are a few milliseconds that one page fault or GC
    // pause doubles, 100 keys in the large file cost under 1 % of what rewriting it costs (a cost
    // that followed the store would be that rewrite).
    target(
        "json-last-use",
        "JSON store, last-use bookkeeping: cost proportional to the keys used since the last write, "
            + "not to the store",
        "100 keys used: "
            + f(small, 3)
            + " s in a file of "
            + f(smallKeys, 0)
            + " keys, "
            + f(large, 3)
            + " s in one of "
            + f(largeKeys, 0),
        Double.isNaN(large)
            ? Verdict.NOT_MEASURED
            : Verdict.of(large <= 2 * small || large <= whole / 100),
        "heap");
  }

  // --- 4b. the compact key index ---

  @SuppressWarnings("unchecked")
  private void indexScale(Map<String, Object> heap) throws IOException {
    Path file = raw.resolve("index-scale.json");
    List<Map<String, Object>> rows =
        Files.exists(file)
            ? (List<Map<String, Object>>) Json.parse(Files.readString(file))
            : List.of();
    List<Map<String, Object>> jmh = jmh("key-index");
    if (rows.isEmpty() && jmh.isEmpty()) {
      return;
    }
    line(
        "**The compact key index** (`CompactKeyIndex`: hashes sorted in one `long[]` with a directory on their top "
            + "bits, fields in parallel arrays, owners and scope sets interned, a `KeyRecord` made only on a hit). It holds "
            + "`StoreKeyValidator`'s index of every key (`nimbus.auth.store.index=true`, the JDBC store's flood defence) "
            + "and the keys of `InMemoryKeyStore` and `JsonFileKeyStore` (with the few records changed since the last "
            + "compaction beside it), which the heap target above measures.");
    line("");
    if (!rows.isEmpty()) {
      line(
          "Heap and load time by size (`IndexFootprint`, own JVM, live heap after full GCs; load = sorting and "
              + "building from records streamed in; lookups = every key once in a random order, one thread, a timed loop):");
      line("");
      table(
          "keys",
          "heap MB",
          "bytes per key",
          "build s",
          "making the records s",
          "ns per lookup (hit)");
      double tenMillionBytes = Double.NaN;
      double tenMillionSeconds = Double.NaN;
      double millionBytes = Double.NaN;
      for (Map<String, Object> r : rows) {
        double keys = number(r.get("keys"));
        double bytes = number(r.get("indexBytes"));
        row(
            f(keys, 0),
            f(bytes / 1e6, 1),
            f(bytes / keys, 0),
            f(number(r.get("buildSeconds")), 2),
            f(number(r.get("makeRecordsSeconds")), 1),
            f(number(r.get("nsPerLookup")), 0));
        if (keys == 10_000_000) {
          tenMillionBytes = bytes;
          tenMillionSeconds = number(r.get("buildSeconds"));
        }
        if (keys == 1_000_000) {
          millionBytes = bytes;
        }
      }
      line("");
      target(
          "index-10m",
          "compact key index: 10,000,000 keys in ≤ 1 GB of heap, loaded in seconds",
          Double.isNaN(tenMillionBytes)
              ? "not run at 10,000,000 keys"
              : f(tenMillionBytes / 1e6, 0)
                  + " MB, built in "
                  + f(tenMillionSeconds, 1)
                  + " s (the index the validator's `nimbus.auth.store.index` and the in-memory and JSON stores hold)",
          Double.isNaN(tenMillionBytes)
              ? Verdict.NOT_MEASURED
              : Verdict.of(tenMillionBytes <= 1e9 && tenMillionSeconds <= 10),
          "heap");
      if (!Double.isNaN(millionBytes)) {
        target(
            "index-1m",
            "compact key index: 1,000,000 keys in ≤ 100 MB (the store's share of the 150 MB goal)",
            f(millionBytes / 1e6, 0)
                + " MB (the index the validator's `nimbus.auth.store.index` and the in-memory and JSON stores hold)",
            Verdict.of(millionBytes <= 100e6),
            "heap");
      }
    }
    if (!jmh.isEmpty()) {
      line(
          "Lookups alone (JMH, hashes computed beforehand; each operation looks up the next of the N hashes, a "
              + "working set of N; ns/op)"
              + runNote("key-index")
              + ":");
      line("");
      table(
          "keys",
          "index: contains",
          "index: record made",
          "index: unknown hash",
          "`InMemoryKeyStore.findByHash`",
          "`HashMap<ByteBuffer, byte[]>`",
          "record B/op (index → store)");
      for (String keys : sizes(jmh)) {
        Score record = score(jmh, "indexRecord", "keys", keys);
        Score store = score(jmh, "storeRecord", "keys", keys);
        row(
            f(Double.parseDouble(keys), 0),
            ns(score(jmh, "indexContains", "keys", keys)),
            ns(record),
            ns(score(jmh, "indexUnknown", "keys", keys)),
            ns(store),
            ns(score(jmh, "floorMap", "keys", keys)),
            bytes(record) + " → " + bytes(store));
      }
      line("");
      line(
          "The validator's cache of known keys, bounded (`BoundedKeyCache`, four ways per hash, a clock bit per "
              + "entry; a miss reloads from the index) against the unbounded map it has today (ns/op, same working set):");
      line("");
      table(
          "keys",
          "unbounded map, hit",
          "bounded, room for all",
          "bounded, room for a quarter (evicting)",
          "evicting B/op");
      String largest = null;
      for (String keys : sizes(jmh)) {
        Score evicting = score(jmh, "cacheBoundedEvicting", "keys", keys);
        row(
            f(Double.parseDouble(keys), 0),
            ns(score(jmh, "cacheUnbounded", "keys", keys)),
            ns(score(jmh, "cacheBounded", "keys", keys)),
            ns(evicting),
            bytes(evicting));
        largest = keys;
      }
      line("");
      if (largest != null) {
        double[] cost =
            diff(
                score(jmh, "cacheBounded", "keys", largest),
                score(jmh, "cacheUnbounded", "keys", largest));
        target(
            "cache-bounded",
            "validator cache of known keys bounded (setting, sensible default); a hit no dearer "
                + "than in today's unbounded map ("
                + f(Double.parseDouble(largest), 0)
                + " keys in use)",
            "`nimbus.auth.store.cache-keys`, default 262,144 (`BoundedKeyCache` in `StoreKeyValidator`); bounded hit − "
                + "unbounded hit: "
                + diffText(cost, "ns"),
            atMost(cost[0], cost[1], null, 0),
            "key-index");
      }
    }
  }

  // --- 4. scale
  // ---------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private void scale() throws IOException {
    Map<String, Object> heap = object("heap");
    List<Map<String, Object>> v = jmh("validation");
    line("## 4. Scale");
    line("");
    if (!ownRun("", "heap").isEmpty()) {
      line(ownRun("This section", "heap").trim());
      line("");
    }
    if (!heap.isEmpty()) {
      double keys = number(heap.get("keys"));
      double store = number(heap.get("storeBytes"));
      double cache = number(heap.get("validatorCacheBytes"));
      line(
          "Live heap after full GCs (`HeapFootprint`, own JVM, "
              + heap.get("gc")
              + "): an `InMemoryKeyStore` filled with "
              + f(keys, 0)
              + " keys as `KeyManager` makes them (hash, id, owner among 10,000 partners, one scope, last 4, "
              + "creation time); then the `StoreKeyValidator` cache after every key was validated once (all keys active).");
      line("");
      table("", "MB (10⁶ bytes)", "MiB", "bytes per key");
      row(
          "store, " + f(keys, 0) + " keys",
          f(store / 1e6, 1),
          f(store / 1048576.0, 1),
          f(store / keys, 0));
      row(
          "validator cache, all keys used once",
          f(cache / 1e6, 1),
          f(cache / 1048576.0, 1),
          f(cache / keys, 0));
      row(
          "both",
          f((store + cache) / 1e6, 1),
          f((store + cache) / 1048576.0, 1),
          f((store + cache) / keys, 0));
      line("");
      line(
          "Where the store's bytes go (class histogram of the whole heap right after filling it):");
      line("");
      table("class", "instances", "MB");
      for (Object o : (List<Object>) heap.getOrDefault("storeHistogram", List.of())) {
        Map<String, Object> r = (Map<String, Object>) o;
        if (r.containsKey("class") && number(r.get("bytes")) > 1e6) {
          row(
              "`" + r.get("class") + "`",
              f(number(r.get("instances")), 0),
              f(number(r.get("bytes")) / 1e6, 1));
        }
      }
      line("");
      target(
          "heap",
          "1,000,000 keys: the store and the validator cache with every key used ≤ 150 MB together, "
              + "≤ 100 MB the store (in-memory store)",
          f(store / 1e6, 0)
              + " MB for "
              + f(keys, 0)
              + " keys ("
              + f(store / keys, 0)
              + " B/key) + "
              + f(cache / 1e6, 0)
              + " MB in the validator cache once all are used = "
              + f((store + cache) / 1e6, 0)
              + " MB",
          keys < 1_000_000
              ? Verdict.NOT_MEASURED
              : Verdict.of(store <= 100e6 && store + cache <= 150e6),
          "heap");
    }
    indexScale(heap);
    jsonLastUse();
    List<String> sizes = sizes(v);
    if (!sizes.isEmpty()) {
      line(
          "Validation latency from 1 to "
              + f(Double.parseDouble(sizes.get(sizes.size() - 1)), 0)
              + " keys (SHA-256, one thread; every key in the working set):");
      line("");
      table("keys", "valid key ns/op", "× at 1 key", "floor ns/op", "floor × at 1 key");
      Score valid1 = score(v, "valid", "keys", sizes.get(0));
      Score floor1 = score(v, "floor", "keys", sizes.get(0));
      double[] atOne = ratio(valid1, floor1);
      Verdict flat = Verdict.NOT_MEASURED;
      StringBuilder extras = new StringBuilder();
      for (String keys : sizes) {
        Score valid = score(v, "valid", "keys", keys);
        Score floor = score(v, "floor", "keys", keys);
        double growth = valid.value() / valid1.value();
        double floorGrowth = floor.value() / floor1.value();
        row(f(Double.parseDouble(keys), 0), ns(valid), f(growth, 2), ns(floor), f(floorGrowth, 2));
        if (keys.equals(sizes.get(0))) {
          continue;
        }
        // growth ÷ floor's growth = (valid ÷ floor here) ÷ (valid ÷ floor at 1 key), with the
        // errors of all four scores: judged on its band, as the other validation targets are
        double[] extra = ratio(ratio(valid, floor), atOne);
        flat = flat.and(atMost(extra[0], extra[1], null, 1.2));
        extras
            .append(extras.length() == 0 ? "" : ", ")
            .append(f(Double.parseDouble(keys), 0))
            .append(": ")
            .append(ratioText(extra));
      }
      line("");
      target(
          "flat",
          "validation latency flat from 1 to 1,000,000 keys (growth no worse than the floor's own, "
              + "which pays the same cache misses, + 20 %)",
          "growth ÷ floor's growth by keys: " + extras,
          flat,
          "validation");
    }
  }
}
