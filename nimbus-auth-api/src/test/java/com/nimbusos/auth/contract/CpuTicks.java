package com.nimbusos.auth.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of all cores so far, in clock ticks, as the first line of {@code /proc/stat} counts
 * it: how timing tests and benchmarks tell how much of a run the hypervisor gave to other guests
 * (steal). On these shared virtual machines a few percent of steal make timings noisy.
 *
 * @param total every tick of user, nice, system, idle, iowait, irq, softirq and steal (guest time
 *     is counted within user and nice already); 0 where {@code /proc/stat} is missing
 * @param idle idle and waiting for I/O
 * @param steal stolen by the hypervisor
 */
public record CpuTicks(long total, long idle, long steal) {

  /** What is read where there is no {@code /proc/stat} (not Linux): every share is unknown. */
  public static final CpuTicks UNKNOWN = new CpuTicks(0, 0, 0);

  private static final Path STAT = Path.of("/proc/stat");

  /** The counters now; {@link #UNKNOWN} where they cannot be read. */
  public static CpuTicks now() {
    try {
      return parse(Files.readAllLines(STAT).get(0));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * Reads {@code /proc/stat}'s first line: {@code cpu user nice system idle iowait irq softirq
   * steal [guest guest_nice]}.
   *
   * @throws IllegalArgumentException when it is not such a line
   */
  static CpuTicks parse(String line) {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 9 || !fields[0].equals("cpu")) {
      throw new IllegalArgumentException("not /proc/stat's cpu line: " + line);
    }
    long total = 0;
    for (int i = 1; i <= 8; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new CpuTicks(total, idle, Long.parseLong(fields[8]));
  }

  /** The ticks of every core since {@code earlier}. */
  public long totalSince(CpuTicks earlier) {
    return total - earlier.total;
  }

  /** The busy ticks since {@code earlier}: neither idle nor stolen. */
  public long busySince(CpuTicks earlier) {
    return totalSince(earlier) - (idle - earlier.idle) - (steal - earlier.steal);
  }

  /**
   * The share of CPU time stolen since {@code earlier}, from 0 to 1; {@code NaN} when unknown (no
   * {@code /proc/stat}, or no tick between the readings).
   */
  public double stealShareSince(CpuTicks earlier) {
    long ticks = totalSince(earlier);
    return earlier.total == 0 || ticks <= 0 ? Double.NaN : (double) (steal - earlier.steal) / ticks;
  }
}
