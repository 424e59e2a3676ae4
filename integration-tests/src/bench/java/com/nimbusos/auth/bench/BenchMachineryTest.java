package com.nimbusos.auth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of the benchmark machinery that decide what a run may claim: verdicts, merged forks,
 * /proc, and the fixtures they measure with.
 */
class BenchMachineryTest {

  @Test
  void aTargetIsDecidedOnlyWhenTheWholeNoiseBandIsOnOneSide() {
    assertEquals(Report.Verdict.MET, Report.atMost(0.3, 0.1, null, 0.5));
    assertEquals(Report.Verdict.MISSED, Report.atMost(0.9, 0.1, null, 0.5));
    assertEquals(Report.Verdict.INCONCLUSIVE, Report.atMost(0.45, 0.1, null, 0.5));
    // a tight interval, but one round on the other side of the goal: the rounds widen the band
    assertEquals(
        Report.Verdict.INCONCLUSIVE, Report.atMost(0.3, 0.05, new double[] {0.2, 0.7}, 0.5));
    assertEquals(Report.Verdict.NOT_MEASURED, Report.atMost(Double.NaN, 0.1, null, 0.5));
  }

  @Test
  void theRoundsOfInterleavedTwinsArePaired() {
    List<Map<String, Object>> entries =
        List.of(entry("open", 5.0, 5.5), entry("securedValid", 5.4, 6.3));
    double[] rounds = Report.rounds(entries, "securedValid", "open", false);
    assertEquals(0.4, rounds[0], 1e-9);
    assertEquals(0.8, rounds[1], 1e-9);
  }

  @Test
  void forksMergeIntoOneEntryWithTheirRawDataAndAnErrorOverAllIterations() {
    Map<String, Object> fork1 = jmhEntry(List.of(1.0, 1.2, 1.1));
    Map<String, Object> fork2 = jmhEntry(List.of(1.3, 1.4, 1.2));
    Map<String, Object> merged =
        Interleaved.merge(List.of(fork1, fork2), List.of(Map.of("round", 1L), Map.of("round", 2L)));
    @SuppressWarnings("unchecked")
    Map<String, Object> primary = (Map<String, Object>) merged.get("primaryMetric");
    assertEquals(1.2, Report.number(primary.get("score")), 1e-9);
    assertTrue(Report.number(primary.get("scoreError")) > 0);
    assertEquals(2, ((List<?>) primary.get("rawData")).size());
    assertEquals(2L, merged.get("forks"));
  }

  @Test
  void parameterCombinationsCoverEveryValue() {
    assertEquals(
        4,
        Interleaved.combinations(Map.of("a", new String[] {"1", "2"}, "b", new String[] {"x", "y"}))
            .size());
    assertEquals(1, Interleaved.combinations(Map.of()).size());
  }

  /**
   * A {@code PresentedKey} keeps its digest: a benchmark that presented one instance twice would
   * measure validation without its hashing, as the validation phases did until 2026-12-03.
   */
  @Test
  void eachPresentationOfABenchKeyIsANewPresentedKeyThatHashesAgain() throws Exception {
    BenchKeys fixture = BenchKeys.inMemory(2, BenchKeys.hasher("sha256"), new InMemoryKeyStore());
    assertNotSame(fixture.valid(1), fixture.valid(1));
    assertNotSame(fixture.unknown(0), fixture.unknown(0));
    assertNotSame(fixture.badChecksum(0), fixture.badChecksum(0));
    assertEquals(fixture.keys[1], fixture.valid(1).value());
  }

  @Test
  void procIsRead() {
    MachineLoad.Sample a = MachineLoad.sample();
    MachineLoad.Sample b = MachineLoad.sample();
    assertNotNull(MachineLoad.between(a, b));
    if (a.cpu().total() > 0) { // Linux
      assertTrue(a.ours() > 0, "this JVM's own CPU time");
    }
  }

  private static Map<String, Object> entry(String method, double round1, double round2) {
    return Map.of(
        "benchmark",
        "x.Bench." + method,
        "interleavedForks",
        List.of(Map.of("round", 1L, "score", round1), Map.of("round", 2L, "score", round2)));
  }

  private static Map<String, Object> jmhEntry(List<Double> iterations) {
    return Map.of(
        "benchmark",
        "x.Bench.m",
        "primaryMetric",
        Map.of(
            "score", 0.0, "scoreError", 0.0, "scoreUnit", "us/op", "rawData", List.of(iterations)),
        "secondaryMetrics",
        Map.of());
  }

  @Test
  void aPartialRunRecordsEachPartItMeasuredAsMeasuredOnItsOwn() {
    assertEquals(List.of("http"), BenchSuite.measuredOnTheirOwn("http", null, false));
    assertEquals(
        List.of("request-jaxrs", "request-servlet", "heap", "http"),
        BenchSuite.measuredOnTheirOwn("jmh,heap,http", "request-jaxrs,request-servlet", false));
    assertEquals(
        BenchSuite.plan(true).stream().map(BenchSuite.JmhRun::name).toList(),
        BenchSuite.measuredOnTheirOwn("jmh", null, true));
    assertEquals(List.of("heap"), BenchSuite.measuredOnTheirOwn("heap", null, false));
  }
}
