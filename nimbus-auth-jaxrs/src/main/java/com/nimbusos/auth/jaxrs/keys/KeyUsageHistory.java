package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per key and hour over the last {@value #DAYS} days, as the audit trail saw them:
 * requests a key authenticated, refusals of a known key (a scope it lacks, a management action
 * refused), and the first uses from a client network the key had not been seen from. Fed by {@link
 * UsageAuditSink}; read by the key management API's usage endpoint. Kept in memory since the
 * application started, so a restart begins again from nothing; at most {@code maxKeys} keys are
 * followed (about 2.7 KB each), keys beyond that are not counted until older ones fall silent for
 * the whole window. Thread-safe.
 */
public final class KeyUsageHistory {

  /** How many days of hours are kept. */
  public static final int DAYS = 7;

  /** How many hours are kept. */
  public static final int HOURS = DAYS * 24;

  /** How many of a key's most recent new networks are kept. */
  static final int RECENT_NETWORKS = 10;

  private static final KeyUsageHistory SHARED = new KeyUsageHistory(10_000);

  private final int maxKeys;
  private final Map<String, PerKey> byKey = new ConcurrentHashMap<>();

  /**
   * A history following at most {@code maxKeys} keys.
   *
   * @param maxKeys the memory bound, at least 1
   */
  public KeyUsageHistory(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive");
    }
    this.maxKeys = maxKeys;
  }

  /**
   * The history of this application: one per class loader of this jar, which sits in the
   * application's {@code WEB-INF/lib}. The audit sinks the adapters create by class name and the
   * management API built from configuration meet here.
   */
  public static KeyUsageHistory shared() {
    return SHARED;
  }

  /**
   * Counts one audit event, if it concerns a known key; events without a key id are not per key.
   */
  public void record(AuditEvent event) {
    if (event.keyId() == null) {
      return;
    }
    PerKey key = byKey.get(event.keyId());
    if (key == null) {
      if (byKey.size() >= maxKeys && !evictSilent(event.time())) {
        return;
      }
      key = byKey.computeIfAbsent(event.keyId(), id -> new PerKey());
    }
    key.count(event);
  }

  /**
   * The usage of one key over the last {@code hours} hours up to {@code now}, oldest hour first.
   *
   * @param keyId the key
   * @param now the end of the window (its hour is the last one)
   * @param hours how many hours, 1 to {@value #HOURS}
   */
  public Usage usage(String keyId, Instant now, int hours) {
    if (hours < 1 || hours > HOURS) {
      throw new IllegalArgumentException("hours must be 1 to " + HOURS);
    }
    long last = hourOf(now);
    long first = last - hours + 1;
    PerKey key = byKey.get(keyId);
    int[] requests = new int[hours];
    int[] refusals = new int[hours];
    int[] newNetworks = new int[hours];
    List<NewNetwork> recent = List.of();
    if (key != null) {
      synchronized (key) {
        for (long hour = first; hour <= last; hour++) {
          int slot = slot(hour);
          if (key.hour[slot] == hour) {
            int i = (int) (hour - first);
            requests[i] = key.requests[slot];
            refusals[i] = key.refusals[slot];
            newNetworks[i] = key.newNetworks[slot];
          }
        }
        Instant since = Instant.ofEpochSecond(first * 3600);
        recent = key.recent.stream().filter(n -> !n.time().isBefore(since)).toList();
      }
    }
    return new Usage(Instant.ofEpochSecond(first * 3600), requests, refusals, newNetworks, recent);
  }

  /** Makes room by forgetting keys silent for the whole window; whether there is room now. */
  private boolean evictSilent(Instant now) {
    long oldest = hourOf(now) - HOURS;
    byKey.entrySet().removeIf(entry -> entry.getValue().lastHour() <= oldest);
    return byKey.size() < maxKeys;
  }

  private static long hourOf(Instant time) {
    return Math.floorDiv(time.getEpochSecond(), 3600);
  }

  private static int slot(long hour) {
    return (int) Math.floorMod(hour, (long) HOURS);
  }

  /**
   * One key's usage, hour by hour.
   *
   * @param firstHour the start of the first hour
   * @param requests requests authenticated, per hour
   * @param refusals refusals of the key, per hour
   * @param newNetworks first uses from a new client network, per hour
   * @param recentNewNetworks the latest of those (at most ten), oldest first
   */
  public record Usage(
      Instant firstHour,
      int[] requests,
      int[] refusals,
      int[] newNetworks,
      List<NewNetwork> recentNewNetworks) {

    /** How many hours. */
    public int hours() {
      return requests.length;
    }

    /** Sum of an hourly series. */
    static long total(int[] series) {
      long sum = 0;
      for (int value : series) {
        sum += value;
      }
      return sum;
    }
  }

  /**
   * A key seen from a client network for the first time.
   *
   * @param time when
   * @param clientAddress the client's address then
   */
  public record NewNetwork(Instant time, String clientAddress) {}

  /**
   * A ring of hours: slot {@code hour % HOURS} holds that hour's counts while {@code hour[slot] ==
   * hour}.
   */
  private static final class PerKey {
    final long[] hour = new long[HOURS];
    final int[] requests = new int[HOURS];
    final int[] refusals = new int[HOURS];
    final int[] newNetworks = new int[HOURS];
    final Deque<NewNetwork> recent = new ArrayDeque<>();
    volatile long latest = Long.MIN_VALUE;

    PerKey() {
      java.util.Arrays.fill(hour, Long.MIN_VALUE);
    }

    synchronized void count(AuditEvent event) {
      long at = hourOf(event.time());
      int slot = slot(at);
      if (hour[slot] != at) {
        if (hour[slot] > at) {
          return; // older than the window this slot now holds
        }
        hour[slot] = at;
        requests[slot] = 0;
        refusals[slot] = 0;
        newNetworks[slot] = 0;
      }
      if ("denied".equals(event.outcome())) {
        refusals[slot]++;
      } else if ("AUTHENTICATED".equals(event.reason())) {
        requests[slot]++;
      }
      if (event.newNetwork()) {
        newNetworks[slot]++;
        recent.addLast(new NewNetwork(event.time(), event.clientAddress()));
        if (recent.size() > RECENT_NETWORKS) {
          recent.removeFirst();
        }
      }
      latest = Math.max(latest, at);
    }

    long lastHour() {
      return latest;
    }
  }

  /** Keys followed now. */
  int followed() {
    return byKey.size();
  }
}
