package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class TrialSetTest {

  private static final long MS = 1_000_000L;

  @Test
  void aDelayBeyondTheHardBoundFailsWithoutAnAllowance() {
    TrialSet set = new TrialSet("TrialSetTest, no allowance");
    set.add(100 * MS, null, 0);
    set.add(300 * MS, "the slow one", 0);
    AssertionFailedError failure =
        assertThrows(
            AssertionFailedError.class,
            () -> set.check(null, Duration.ofMillis(400), Duration.ofMillis(200)));
    assertTrue(failure.getMessage().contains("hard bound 200 ms"), failure.getMessage());
  }

  @Test
  void aTrialIsCheckedLessItsOwnAllowanceNotAnotherTrials() {
    TrialSet stretched = new TrialSet("TrialSetTest, allowance on the slow trial");
    stretched.add(100 * MS, null, 0);
    stretched.add(300 * MS, "a poll's connection took 250 ms", 150 * MS);
    try {
      stretched.check(null, Duration.ofMillis(400), Duration.ofMillis(200));
    } catch (TestAbortedException inconclusive) {
      // a set this short may see no CPU ticks, so its steal is unknown: the hard bound, checked
      // first, passed
    }

    TrialSet misplaced = new TrialSet("TrialSetTest, allowance on another trial");
    misplaced.add(300 * MS, null, 0);
    misplaced.add(100 * MS, "a poll's connection took 250 ms", 150 * MS);
    assertThrows(
        AssertionFailedError.class,
        () -> misplaced.check(null, Duration.ofMillis(400), Duration.ofMillis(200)));
  }
}
