package com.nimbusos.auth.api.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per client address in fixed windows; a client past the limit is refused
 * with {@code 429} until its window ends. Memory is bounded: past {@code maxClients} addresses, expired
 * windows are dropped, and if that is not enough, every window is (a flood of distinct addresses then
 * costs its sender its own counts, never the server its memory). Thread-safe.
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
    Window window = windows.get(client);
    return window != null && window.failures(nowNanos, windowNanos) >= maxFailures;
  }

  /** Counts one failure of the client. */
  void recordFailure(String client, long nowNanos) {
    if (maxFailures <= 0 || client == null) {
      return;
    }
    if (windows.size() >= maxClients && !windows.containsKey(client)) {
      windows.values().removeIf(w -> w.failures(nowNanos, windowNanos) == 0);
      if (windows.size() >= maxClients) {
        windows.clear();
      }
    }
    windows.computeIfAbsent(client, c -> new Window(nowNanos)).add(nowNanos, windowNanos);
  }

  /** Seconds a blocked client should wait at most. */
  long retryAfterSeconds() {
    return Math.max(1, windowNanos / 1_000_000_000L);
  }

  int trackedClients() {
    return windows.size();
  }

  private static final class Window {
    private long start;
    private int count;

    Window(long start) {
      this.start = start;
    }

    synchronized int failures(long now, long length) {
      return now - start >= length ? 0 : count;
    }

    synchronized void add(long now, long length) {
      if (now - start >= length) {
        start = now;
        count = 0;
      }
      count++;
    }
  }
}
