package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void aBlockedClientStaysBlockedWhenOtherAddressesFillTheTable() {
    FailureThrottle throttle = new FailureThrottle(3, 60, 100);
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure("203.0.113.9", i);
    }
    for (int i = 0; i < 1000; i++) { // ten times the table, from addresses the attacker also holds
      throttle.recordFailure("198.51." + (i >> 8) + "." + (i & 255), 10 + i);
    }
    assertTrue(throttle.isBlocked("203.0.113.9", 2000));
  }

  @Test
  void whenEveryoneIsBlockedTheLeastRecentlySeenGoFirst() {
    FailureThrottle throttle = new FailureThrottle(1, 60, 100);
    for (int i = 0; i < 100; i++) {
      throttle.recordFailure("198.51.100." + i, i);
    }
    throttle.recordFailure("192.0.2.1", 100);
    for (int i = 0; i < 10; i++) {
      assertFalse(throttle.isBlocked("198.51.100." + i, 100), "seen at " + i);
    }
    for (int i = 10; i < 100; i++) {
      assertTrue(throttle.isBlocked("198.51.100." + i, 100), "seen at " + i);
    }
    assertTrue(throttle.isBlocked("192.0.2.1", 100));
  }

  @Test
  void expiredWindowsMakeRoomBeforeTheLeastRecentlySeenClientStillCounting() {
    FailureThrottle throttle = new FailureThrottle(3, 10, 100);
    for (int i = 0; i < 99; i++) {
      throttle.recordFailure("198.51.100." + i, 0);
    }
    throttle.recordFailure("203.0.113.9", 5 * SECOND);
    for (int i = 0; i < 99; i++) { // seen after 203.0.113.9, but in windows that end before its own
      throttle.recordFailure("198.51.100." + i, 9 * SECOND);
    }
    throttle.recordFailure("192.0.2.1", 11 * SECOND);
    assertEquals(2, throttle.trackedClients());
    throttle.recordFailure("203.0.113.9", 12 * SECOND);
    throttle.recordFailure("203.0.113.9", 13 * SECOND);
    assertTrue(throttle.isBlocked("203.0.113.9", 14 * SECOND));
  }

  @Test
  void addressesInOneIpv6Slash64ShareOneCount() {
    FailureThrottle throttle = new FailureThrottle(3, 60, 1000);
    throttle.recordFailure("2001:db8:1:2::1", 0);
    throttle.recordFailure("2001:0db8:0001:0002:ffff:ffff:ffff:ffff", 1);
    throttle.recordFailure("[2001:DB8:1:2:0:0:0:abcd]", 2);
    assertTrue(throttle.isBlocked("2001:db8:1:2::9", 3));
    assertEquals(1, throttle.trackedClients());
    assertFalse(throttle.isBlocked("2001:db8:1:3::1", 3), "the next /64 is someone else");
    assertFalse(
        throttle.isBlocked("2001:db8:1:102::1", 3),
        "so is one that differs in a group's high byte");
    assertFalse(
        throttle.isBlocked("2001:db9:1:2::1", 3), "and one that differs in an earlier group");
  }

  @Test
  void anIpv4MappedAddressCountsAsItsIpv4Address() {
    FailureThrottle throttle = new FailureThrottle(2, 60, 1000);
    throttle.recordFailure("::ffff:192.0.2.7", 0);
    throttle.recordFailure("192.0.2.7", 1);
    assertTrue(throttle.isBlocked("192.0.2.7", 2));
    assertTrue(throttle.isBlocked("::ffff:c000:207", 2));
    assertFalse(
        throttle.isBlocked("::ffff:192.0.2.8", 2),
        "nor does it share a count with its IPv4 neighbours");
  }

  @Test
  void staysBoundedUnderAFloodOfDistinctAddresses() {
    FailureThrottle throttle = new FailureThrottle(5, 60, 1000);
    for (int i = 0; i < 1_000_000; i++) {
      throttle.recordFailure("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), i);
      assertTrue(throttle.trackedClients() <= 1000);
    }
    for (int i = 0; i < 100_000; i++) {
      throttle.recordFailure(
          "2001:db8:"
              + Integer.toHexString(i >> 16)
              + ":"
              + Integer.toHexString(i & 0xffff)
              + "::1",
          i);
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
