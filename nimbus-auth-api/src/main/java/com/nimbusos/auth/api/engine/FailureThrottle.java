package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.config.Cidr;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per client in fixed windows; a client past the limit is refused
 * with {@code 429} until its window ends. Thread-safe; {@link #isBlocked} is one lock-free map
 * read, since it runs on every request.
 *
 * <p>A client is an IPv4 address or an IPv6 /64: whoever has one IPv6 address usually holds its
 * whole /64, and would otherwise get a fresh count from each of its 2^64 addresses. An IPv4-mapped
 * IPv6 address counts as the IPv4 address it maps.
 *
 * <p>Memory is bounded by {@code maxClients}. When the table is full, expired windows go first,
 * then the least recently seen clients that are not blocked, and blocked ones only if nothing else
 * is left: a flood of failures from many addresses must not free its sender from its count, which
 * clearing the table would. A tenth of the table goes at once, so the scan this takes is paid once
 * per {@code maxClients / 10} new clients rather than on each.
 */
final class FailureThrottle {

  private final int maxFailures;
  private final long windowNanos;
  private final int maxClients;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  FailureThrottle(int maxFailures, long windowSeconds, int maxClients) {
    this.maxFailures = maxFailures;
    this.windowNanos = windowSeconds * 1_000_000_000L;
    this.maxClients = maxClients;
  }

  /** Whether the client is over its limit now. */
  boolean isBlocked(String client, long nowNanos) {
    if (maxFailures <= 0 || client == null) {
      return false;
    }
    Window window = windows.get(key(client));
    return window != null && isBlocked(window, nowNanos);
  }

  /** Counts one failure of the client. */
  void recordFailure(String client, long nowNanos) {
    if (maxFailures <= 0 || client == null) {
      return;
    }
    String key = key(client);
    if (windows.computeIfPresent(key, (k, window) -> window.plusOne(nowNanos, windowNanos))
        != null) {
      return;
    }
    // New clients are added one at a time, so that the table never outgrows maxClients.
    synchronized (this) {
      if (windows.size() >= maxClients) {
        makeRoom(nowNanos);
      }
      windows.merge(
          key,
          new Window(nowNanos, 1, nowNanos),
          (window, first) -> window.plusOne(nowNanos, windowNanos));
    }
  }

  /** Seconds a blocked client should wait at most. */
  long retryAfterSeconds() {
    return Math.max(1, windowNanos / 1_000_000_000L);
  }

  int trackedClients() {
    return windows.size();
  }

  private boolean isBlocked(Window window, long now) {
    return window.failures(now, windowNanos) >= maxFailures;
  }

  private void makeRoom(long now) {
    int keep = maxClients - Math.max(1, maxClients / 10);
    windows.values().removeIf(window -> window.failures(now, windowNanos) == 0);
    evictLeastRecentlySeen(windows.size() - keep, false, now);
    evictLeastRecentlySeen(windows.size() - keep, true, now);
  }

  private void evictLeastRecentlySeen(int count, boolean blocked, long now) {
    if (count <= 0) {
      return;
    }
    long[] seen =
        windows.values().stream()
            .filter(window -> isBlocked(window, now) == blocked)
            .mapToLong(Window::lastSeen)
            .sorted()
            .toArray();
    if (seen.length > 0) {
      long cutoff = seen[Math.min(count, seen.length) - 1];
      windows
          .values()
          .removeIf(window -> isBlocked(window, now) == blocked && window.lastSeen() <= cutoff);
    }
  }

  /**
   * The throttle's name for a client: an IPv4 address as it is (the containers and proxies write
   * them in one canonical form, and skipping the parse keeps the common case free), an IPv6 address
   * as its /64.
   */
  private static String key(String client) {
    if (client.indexOf(':') < 0) {
      return client;
    }
    byte[] address = Cidr.literal(client);
    if (address == null) {
      return client;
    }
    if (address.length == 4) { // IPv4-mapped: the JDK returns the IPv4 address itself
      return (address[0] & 0xff)
          + "."
          + (address[1] & 0xff)
          + "."
          + (address[2] & 0xff)
          + "."
          + (address[3] & 0xff);
    }
    StringBuilder prefix = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      prefix
          .append(Integer.toHexString((address[i] & 0xff) << 8 | address[i + 1] & 0xff))
          .append(':');
    }
    return prefix.append(":/64").toString();
  }

  /** One client's window, replaced rather than changed so that readers need no lock. */
  private record Window(long start, int count, long lastSeen) {

    int failures(long now, long length) {
      return now - start >= length ? 0 : count;
    }

    Window plusOne(long now, long length) {
      return now - start >= length ? new Window(now, 1, now) : new Window(start, count + 1, now);
    }
  }
}
