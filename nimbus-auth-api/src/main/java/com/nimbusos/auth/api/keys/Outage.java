package com.nimbusos.auth.api.keys;

import java.util.Locale;

/**
 * Whether something retried in the background (the store's poll, its change notifications, the
 * writing of last uses) is failing, and since when, so that an outage is logged twice: when it
 * begins and when it ends. A store that is down for a minute would otherwise log 240 warnings at a
 * 250 ms poll, and hide whatever else happens meanwhile. Thread-safe.
 */
final class Outage {

  private boolean down;
  private long sinceNanos;
  private long failures;

  /**
   * Notes a failed attempt.
   *
   * @return whether it is the first of an outage: the one to log
   */
  synchronized boolean failed() {
    failures++;
    if (down) {
      return false;
    }
    down = true;
    sinceNanos = System.nanoTime();
    return true;
  }

  /**
   * Notes a successful attempt.
   *
   * @return how the outage it ends went ("1.3 s, 5 failed attempts"), the thing to log; {@code
   *     null} if there was none
   */
  synchronized String recovered() {
    if (!down) {
      return null;
    }
    String how =
        String.format(
            Locale.ROOT,
            "%.1f s, %d failed attempt%s",
            (System.nanoTime() - sinceNanos) / 1e9,
            failures,
            failures == 1 ? "" : "s");
    down = false;
    failures = 0;
    return how;
  }
}
