package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link CpuTicks} reads {@code /proc/stat}'s cpu line and says how much of an interval was stolen.
 */
class CpuTicksTest {

  @Test
  void readsTheEightStatesAndLeavesOutGuestTimeWhichUserAlreadyCounts() {
    CpuTicks ticks = CpuTicks.parse("cpu  100 2 30 400 5 6 7 50 999 999");
    assertEquals(new CpuTicks(600, 405, 50), ticks);
  }

  @Test
  void theStolenShareIsTheStealTicksOverAllTicksOfTheInterval() {
    CpuTicks before = CpuTicks.parse("cpu  100 0 0 100 0 0 0 0 0 0");
    CpuTicks after = CpuTicks.parse("cpu  160 0 10 120 0 0 0 10 0 0");
    assertEquals(100, after.totalSince(before));
    assertEquals(70, after.busySince(before), "user and system, neither idle nor steal");
    assertEquals(0.10, after.stealShareSince(before), 1e-9);
  }

  @Test
  void theShareIsUnknownWithoutProcStatOrWithoutATickBetweenTheReadings() {
    CpuTicks reading = CpuTicks.parse("cpu  100 0 0 100 0 0 0 5 0 0");
    assertTrue(Double.isNaN(reading.stealShareSince(reading)));
    assertTrue(Double.isNaN(reading.stealShareSince(CpuTicks.UNKNOWN)));
    assertTrue(Double.isNaN(CpuTicks.UNKNOWN.stealShareSince(reading)));
  }

  @Test
  void refusesALineWithoutTheStealField() {
    assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse("cpu  1 2 3 4 5 6 7"));
    assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse("cpu0 1 2 3 4 5 6 7 8"));
  }
}
