package com.nimbusos.auth.contract;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that reads what the test last set: time moves only when the test moves it. */
public final class MutableClock extends Clock {

  private volatile Instant now;

  /** A clock that reads {@code now} until {@link #set} moves it. */
  public MutableClock(Instant now) {
    this.now = now;
  }

  /** From now on the clock reads {@code instant}. */
  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
