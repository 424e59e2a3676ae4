package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureThrottleTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void forgetsFailuresWhenTheWindowEnds() {
    FailureThrottle throttle = new FailureThrottle(2, 10, 1000);
    throttle.recordFailure("a", 0);
    throttle.recordFailure("a", SECOND);
    assertTrue(throttle.isBlocked("a", 9 * SECOND));
    assertFalse(throttle.isBlocked("a", 10 * SECOND));
  }

  @Test
  void staysBoundedUnderAFloodOfDistinctAddresses() {
    FailureThrottle throttle = new FailureThrottle(5, 60, 1000);
    for (int i = 0; i < 1_000_000; i++) {
      throttle.recordFailure("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), i);
      assertTrue(throttle.trackedClients() <= 1000);
    }
  }

  @Test
  void canBeTurnedOffAndIgnoresUnknownAddresses() {
    FailureThrottle off = new FailureThrottle(0, 60, 1000);
    off.recordFailure("a", 0);
    assertFalse(off.isBlocked("a", 0));
    FailureThrottle on = new FailureThrottle(1, 60, 1000);
    on.recordFailure(null, 0);
    assertFalse(on.isBlocked(null, 0));
  }
}
