package com.nimbusos.auth.bench;

import com.nimbusos.auth.contract.CpuTicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the machine did while a benchmark ran, read from {@code /proc}: the CPU time the hypervisor
 * gave to other guests (steal), the CPU time of processes that are not this benchmark's (everything
 * busy minus this JVM and its children: JMH forks, the HTTP server, wrk), and the load average. A
 * benchmark cannot stop a shared machine from lying, but it can say when it did.
 *
 * <p>{@link #start()} samples every second until {@link Meter#stop()}, which returns the phase's
 * figures: mean and worst one-second steal, mean CPU of other processes (percent of all cores),
 * load average. Where {@code /proc} is missing (not Linux) every figure is {@code NaN}.
 */
final class MachineLoad {

  private static final Path LOADAVG = Path.of("/proc/loadavg");

  private MachineLoad() {}

  /**
   * One reading of the counters.
   *
   * @param cpu the ticks of all cores since boot, by state
   * @param ours ticks of this JVM and its descendants (ended children included, through {@code
   *     cutime})
   * @param load1 the one-minute load average
   */
  record Sample(CpuTicks cpu, long ours, double load1) {

    /** Steal over the interval, in percent of all cores' time. */
    double stealPercentSince(Sample earlier) {
      return 100.0 * cpu.stealShareSince(earlier.cpu);
    }

    /** CPU of processes not ours over the interval, in percent of all cores' time. */
    double otherPercentSince(Sample earlier) {
      long dt = cpu.totalSince(earlier.cpu);
      if (dt <= 0) {
        return Double.NaN;
      }
      long busy = cpu.busySince(earlier.cpu);
      return Math.max(0, 100.0 * (busy - (ours - earlier.ours)) / dt);
    }
  }

  /** The counters now. */
  static Sample sample() {
    return new Sample(CpuTicks.now(), ourTicks(), load1());
  }

  /** utime + stime + cutime + cstime of this JVM and every live descendant. */
  static long ourTicks() {
    long ticks = ticksOf(ProcessHandle.current().pid());
    for (ProcessHandle child :
        (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
      ticks += ticksOf(child.pid());
    }
    return ticks;
  }

  private static long ticksOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command may hold spaces and parentheses: fields are counted after the last ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // after ")": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17): index = field -
      // 3
      return Long.parseLong(f[11])
          + Long.parseLong(f[12])
          + Long.parseLong(f[13])
          + Long.parseLong(f[14]);
    } catch (IOException | RuntimeException e) {
      return 0; // gone meanwhile: its ticks moved to its parent's cutime
    }
  }

  static double load1() {
    try {
      return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Steal and other processes' CPU between two samples (one JMH fork, one wrk run). */
  static Map<String, Object> between(Sample start, Sample end) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("stealPercent", round(end.stealPercentSince(start)));
    figures.put("otherCpuPercent", round(end.otherPercentSince(start)));
    return figures;
  }

  /** Starts sampling every second, until {@link Meter#stop()}. */
  static Meter start() {
    return new Meter();
  }

  /** Samples a phase. */
  static final class Meter {
    private final Sample first = sample();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile double worstSteal;
    private volatile double worstOther;
    private volatile double maxLoad = first.load1();

    private Meter() {
      thread = new Thread(this::run, "machine-load");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      Sample previous = first;
      while (running.get()) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        Sample now = sample();
        double steal = now.stealPercentSince(previous);
        double other = now.otherPercentSince(previous);
        if (!Double.isNaN(steal)) {
          worstSteal = Math.max(worstSteal, steal);
        }
        if (!Double.isNaN(other)) {
          worstOther = Math.max(worstOther, other);
        }
        if (!Double.isNaN(now.load1())) {
          maxLoad = Double.isNaN(maxLoad) ? now.load1() : Math.max(maxLoad, now.load1());
        }
        previous = now;
      }
    }

    /** Stops sampling; the phase's figures, for the JSON of the run. */
    Map<String, Object> stop() {
      running.set(false);
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Sample last = sample();
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("stealPercent", round(last.stealPercentSince(first)));
      figures.put("stealPercentWorstSecond", round(worstSteal));
      figures.put("otherCpuPercent", round(last.otherPercentSince(first)));
      figures.put("otherCpuPercentWorstSecond", round(worstOther));
      figures.put("load1Start", round(first.load1()));
      figures.put("load1Max", round(maxLoad));
      figures.put("load1End", round(last.load1()));
      return figures;
    }
  }

  /** Two decimals; {@code null} (JSON has no NaN) when unknown. */
  static Double round(double value) {
    return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
  }

  /** "steal 1.2 % (worst second 9.0 %), other processes 3.1 % of the cores" */
  static String describe(Map<String, Object> figures) {
    return "steal "
        + percent(figures.get("stealPercent"))
        + " (worst second "
        + percent(figures.get("stealPercentWorstSecond"))
        + "), other processes "
        + percent(figures.get("otherCpuPercent"))
        + " of the cores";
  }

  private static String percent(Object value) {
    double v = number(value);
    return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.1f %%", v);
  }

  static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
