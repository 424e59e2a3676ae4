package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * The delays of one set of revocation trials, with the CPU steal the machine suffered meanwhile.
 * These machines are shared virtual ones: when the hypervisor takes the CPU away, every delay
 * stretches, so a set under heavy steal cannot show whether the bound holds. It still must meet a
 * hard, generous bound that only push can meet; its published bound it must meet only when steal
 * was light, and is reported inconclusive (skipped, with the numbers) otherwise.
 */
public final class TrialSet {

  /** Steal above this share of CPU time makes a set inconclusive. */
  public static final double HEAVY_STEAL = 0.05;

  private final String name;
  private final List<Long> delays = new ArrayList<>();
  private final List<String> details = new ArrayList<>();

  /**
   * Per trial, how much longer than usual the machine made the mechanism's own work (a poll whose
   * connection took longer than the poll interval): the published and hard maxima are checked
   * against each delay less its allowance. The distribution printed is of the delays as measured.
   */
  private final List<Long> allowances = new ArrayList<>();

  private final CpuTicks cpuBefore = CpuTicks.now();
  private final long startNanos = System.nanoTime();

  /** Starts a set: reads the CPU times now. */
  public TrialSet(String name) {
    this.name = name;
  }

  /** How many trials a set runs: {@code -Dnimbus.revocation.trials=N} for more. */
  public static int trials(int usual) {
    return Integer.getInteger("nimbus.revocation.trials", usual);
  }

  /**
   * Records one trial.
   *
   * @param delayNanos from the change's return to the end of the last request still allowed;
   *     negative (all ended before) counts as 0
   */
  public void add(long delayNanos) {
    add(delayNanos, null);
  }

  /**
   * Records one trial with what its delay was made of, printed for the set's slowest trial: whether
   * the mechanism was late, or a request that had passed its check before the change arrived ended
   * late.
   *
   * @param delayNanos as for {@link #add(long)}
   * @param detail the delay's parts, or {@code null}
   */
  public void add(long delayNanos, String detail) {
    add(delayNanos, detail, 0);
  }

  /**
   * Records one trial whose bound the machine stretched by {@code allowanceNanos}: a bound of "the
   * poll interval plus one poll" assumes a poll within the interval, and a connection that took
   * longer to open makes that poll, and so the bound, longer by the difference.
   *
   * @param delayNanos as for {@link #add(long)}
   * @param detail the delay's parts, or {@code null}
   * @param allowanceNanos how much the maxima stretch for this trial, 0 or more
   */
  public void add(long delayNanos, String detail, long allowanceNanos) {
    delays.add(Math.max(0, delayNanos));
    details.add(detail);
    allowances.add(Math.max(0, allowanceNanos));
  }

  /** The largest delay less its trial's allowance. */
  private long maxBeyondAllowance() {
    long worst = 0;
    for (int i = 0; i < delays.size(); i++) {
      worst = Math.max(worst, delays.get(i) - allowances.get(i));
    }
    return worst;
  }

  /**
   * Ends the set, prints its distribution, asserts the hard bound, then the published ones unless
   * steal made the set inconclusive.
   *
   * @param p99 the published 99th percentile, or {@code null} for none
   * @param published the published maximum
   * @param hard what every set must meet, steal or not
   */
  public void check(Duration p99, Duration published, Duration hard) {
    Summary summary = report();
    long max = maxBeyondAllowance();
    String allowed =
        max == summary.max()
            ? ""
            : String.format(Locale.ROOT, " (%.2f ms less the slow polls' allowance)", max / 1e6);
    assertTrue(
        max <= hard.toNanos(),
        name
            + ": max exceeds the hard bound "
            + hard.toMillis()
            + " ms, which holds under any steal"
            + allowed
            + "; "
            + summary.line());
    Assumptions.assumeTrue(summary.conclusive(), summary.line());
    if (p99 != null) {
      assertTrue(
          summary.p99() <= p99.toNanos(),
          name + ": p99 above " + p99.toMillis() + " ms; " + summary.line());
    }
    assertTrue(
        max <= published.toNanos(),
        name + ": max above " + published.toMillis() + " ms" + allowed + "; " + summary.line());
  }

  /** The set's distribution and steal, as printed and recorded by {@link #report()}. */
  public record Summary(
      long median, long p99, long max, double steal, boolean conclusive, String line) {}

  /** Ends the set and prints its distribution and steal, asserting nothing. */
  public Summary report() {
    double steal = CpuTicks.now().stealShareSince(cpuBefore);
    List<Long> sorted = new ArrayList<>(delays);
    sorted.sort(null);
    long median = percentile(sorted, 0.50);
    long ninetyNine = percentile(sorted, 0.99);
    long worst = sorted.get(sorted.size() - 1);
    boolean conclusive = !Double.isNaN(steal) && steal <= HEAVY_STEAL;
    String line =
        String.format(
            Locale.ROOT,
            "Revocation bound [%s]: %d trials in %.1f s, median %.2f ms, p99 %.2f ms, max %.2f ms (trial %d%s); CPU steal %s; %s",
            name,
            sorted.size(),
            (System.nanoTime() - startNanos) / 1e9,
            ms(median),
            ms(ninetyNine),
            ms(worst),
            delays.indexOf(worst) + 1,
            details.get(delays.indexOf(worst)) == null
                ? ""
                : ": " + details.get(delays.indexOf(worst)),
            Double.isNaN(steal) ? "unknown" : String.format(Locale.ROOT, "%.1f %%", steal * 100),
            conclusive
                ? "conclusive"
                : Double.isNaN(steal)
                    ? "INCONCLUSIVE (steal unknown)"
                    : "INCONCLUSIVE (steal above " + (int) (HEAVY_STEAL * 100) + " %)");
    System.out.println(line);
    record(line);
    return new Summary(median, ninetyNine, worst, steal, conclusive, line);
  }

  private static long percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /**
   * Appends the line to {@code target/revocation-bounds.txt}, the record the benchmarks page is
   * written from.
   */
  private static void record(String line) {
    try {
      Files.writeString(
          Path.of("target", "revocation-bounds.txt"),
          line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the line is printed anyway
    }
  }
}
