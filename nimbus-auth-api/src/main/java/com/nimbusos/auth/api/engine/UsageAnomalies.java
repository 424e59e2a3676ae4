package com.nimbusos.auth.api.engine;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flags the two anomalies of key usage the specification asks to watch for, on a clock the caller
 * gives:
 *
 * <ul>
 *   <li>{@link #RATE_SPIKE}: a key whose requests in the current minute exceed {@code rateMultiple}
 *       times its own trailing-hour rate (an exponentially weighted average over minutes, so that
 *       each key costs a few numbers, not an hour of buckets), once the key has ten minutes of
 *       history and at least {@code rateMinRequests} requests this minute;
 *   <li>{@link #SPRAYING}: one key (by id, or by fingerprint when no store knows it) refused from
 *       {@code sprayAddresses} distinct client addresses within ten minutes: a leaked or guessed
 *       key tried from many places.
 * </ul>
 *
 * Memory is bounded: at most {@value #MAX_TRACKED} keys each; past that, the idlest are forgotten
 * first, expired spraying windows before anything else. Thread-safe.
 */
final class UsageAnomalies {

  /** The anomaly of a key used far faster than it usually is. */
  static final String RATE_SPIKE = "RATE_SPIKE";

  /** The anomaly of a key refused from many addresses. */
  static final String SPRAYING = "SPRAYING";

  static final int MAX_TRACKED = 100_000;
  private static final long MINUTE = 60_000;
  private static final long SPRAY_WINDOW = 10 * MINUTE;
  private static final int HISTORY_MINUTES = 10;

  /** Weight kept per minute by the trailing-hour average: e^(-1/60). */
  private static final double HOURLY_DECAY = Math.exp(-1.0 / 60);

  private final int rateMultiple;
  private final int rateMinRequests;
  private final int sprayAddresses;
  private final Map<String, Rate> rates = new ConcurrentHashMap<>();
  private final Map<String, Spray> sprays = new ConcurrentHashMap<>();

  /**
   * @param rateMultiple how many times its trailing-hour rate a key must exceed in a minute; 0
   *     turns it off
   * @param rateMinRequests requests in the minute below which nothing is a spike
   * @param sprayAddresses distinct addresses of refusals within ten minutes that make spraying; 0
   *     turns it off
   */
  UsageAnomalies(int rateMultiple, int rateMinRequests, int sprayAddresses) {
    this.rateMultiple = rateMultiple;
    this.rateMinRequests = rateMinRequests;
    this.sprayAddresses = sprayAddresses;
  }

  /**
   * Counts one accepted request of {@code keyId}; {@link #RATE_SPIKE} if it makes the key spike,
   * else {@code null}.
   */
  String accepted(String keyId, long nowMillis) {
    if (rateMultiple <= 0) {
      return null;
    }
    Rate rate = rates.get(keyId);
    if (rate == null) {
      bound(rates, nowMillis);
      rate = rates.computeIfAbsent(keyId, k -> new Rate(nowMillis / MINUTE));
    }
    return rate.count(nowMillis / MINUTE, rateMultiple, rateMinRequests) ? RATE_SPIKE : null;
  }

  /**
   * Counts one refusal of the key known as {@code key} (its id, or its fingerprint) from {@code
   * address}; {@link #SPRAYING} while the key is refused from too many addresses, else {@code
   * null}.
   */
  String refused(String key, String address, long nowMillis) {
    if (sprayAddresses <= 0 || key == null || address == null) {
      return null;
    }
    Spray spray = sprays.get(key);
    if (spray == null) {
      bound(sprays, nowMillis);
      spray = sprays.computeIfAbsent(key, k -> new Spray());
    }
    return spray.add(address, nowMillis, sprayAddresses) ? SPRAYING : null;
  }

  int tracked() {
    return rates.size() + sprays.size();
  }

  /** Keeps {@code map} under {@link #MAX_TRACKED}: the stale first, then the idlest tenth. */
  private static <T extends Tracked> void bound(Map<String, T> map, long nowMillis) {
    if (map.size() < MAX_TRACKED) {
      return;
    }
    map.values().removeIf(t -> t.idleSince(nowMillis) > SPRAY_WINDOW);
    if (map.size() >= MAX_TRACKED) {
      long[] idle = map.values().stream().mapToLong(t -> t.idleSince(nowMillis)).sorted().toArray();
      long cut = idle[idle.length - Math.max(1, idle.length / 10)];
      map.values().removeIf(t -> t.idleSince(nowMillis) >= cut);
    }
  }

  private interface Tracked {
    long idleSince(long nowMillis);
  }

  /** A key's requests this minute, and its trailing-hour rate per minute. */
  private static final class Rate implements Tracked {
    private final long firstMinute;
    private long minute;
    private long thisMinute;
    private double perMinute = Double.NaN;
    private volatile long lastMillis;

    Rate(long minute) {
      this.firstMinute = minute;
      this.minute = minute;
    }

    synchronized boolean count(long nowMinute, int multiple, int minRequests) {
      lastMillis = nowMinute * MINUTE;
      if (nowMinute > minute) {
        // The minute that ended enters the average (the first one is the average); the quiet
        // minutes since, as
        // zeros.
        perMinute =
            Double.isNaN(perMinute)
                ? thisMinute
                : perMinute * HOURLY_DECAY + thisMinute * (1 - HOURLY_DECAY);
        perMinute *= Math.pow(HOURLY_DECAY, (double) (nowMinute - minute - 1));
        minute = nowMinute;
        thisMinute = 0;
      }
      thisMinute++;
      return nowMinute - firstMinute >= HISTORY_MINUTES
          && thisMinute >= minRequests
          && thisMinute > multiple * Math.max(Double.isNaN(perMinute) ? 0 : perMinute, 1.0);
    }

    @Override
    public long idleSince(long nowMillis) {
      return nowMillis - lastMillis;
    }
  }

  /** The distinct addresses a key was refused from in its current ten-minute window. */
  private static final class Spray implements Tracked {
    private long windowStart;
    private final Set<String> addresses = new HashSet<>();
    private volatile long lastMillis;

    synchronized boolean add(String address, long nowMillis, int threshold) {
      lastMillis = nowMillis;
      if (addresses.isEmpty() || nowMillis - windowStart >= SPRAY_WINDOW) {
        windowStart = nowMillis;
        addresses.clear();
      }
      if (addresses.size() < threshold) {
        addresses.add(address); // never more than the threshold: memory stays bounded per key
      }
      return addresses.size() >= threshold;
    }

    @Override
    public long idleSince(long nowMillis) {
      return nowMillis - lastMillis;
    }
  }
}
