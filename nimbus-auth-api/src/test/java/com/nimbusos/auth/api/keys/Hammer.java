package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clients that present one key to each node as fast as they can, one thread per node, noting when
 * the last request that was allowed ended and when the first refusal came. A request that fails
 * (store unavailable) counts as refused, as it is for the caller, but is reported.
 */
final class Hammer implements AutoCloseable {

  private final List<Client> clients = new ArrayList<>();
  private final InvalidReason expected;
  private final AtomicReference<String> surprise = new AtomicReference<>();
  private volatile boolean running = true;

  /**
   * Starts hammering.
   *
   * @param nodes one validator per node
   * @param key the key, which every node must allow at first
   * @param expected the refusal the change should bring
   */
  Hammer(List<? extends KeyValidator> nodes, String key, InvalidReason expected) {
    this.expected = expected;
    PresentedKey presented = PresentedKey.of(key);
    for (KeyValidator node : nodes) {
      Client client = new Client(node, presented);
      clients.add(client);
      client.start();
    }
  }

  /**
   * Waits until every node has allowed a request that began after this call: the key is cached and
   * in use.
   */
  void awaitAllowedEverywhere(Duration timeout) throws InterruptedException {
    long since = System.nanoTime();
    long deadline = since + timeout.toNanos();
    for (Client client : clients) {
      while (client.lastAllowedStart - since < 0) {
        check(deadline, "the key was never allowed");
        Thread.sleep(0, 100_000);
      }
    }
  }

  /**
   * Waits until every node refused, then hammers on for {@code margin} to catch a late allowed
   * request.
   */
  void awaitRefusedEverywhere(Duration timeout, Duration margin) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Client client : clients) {
      while (client.firstRefusedEnd == 0) {
        check(deadline, "the key was still allowed after " + timeout);
        Thread.sleep(0, 100_000);
      }
    }
    Thread.sleep(margin.toMillis());
    close();
  }

  /** When the last allowed request on {@code node} ended, on {@link System#nanoTime()}'s scale. */
  long lastAllowedEnd(int node) {
    return clients.get(node).lastAllowedEnd;
  }

  /** When the last allowed request on {@code node} began, on {@link System#nanoTime()}'s scale. */
  long lastAllowedStart(int node) {
    return clients.get(node).lastAllowedStart;
  }

  /** How many requests {@code node} answered. */
  long requests(int node) {
    return clients.get(node).requests;
  }

  /** Anything unexpected a client saw (another refusal reason, an exception), or {@code null}. */
  String surprise() {
    return surprise.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Client client : clients) {
      client.join(5_000);
    }
  }

  private void check(long deadline, String what) {
    if (System.nanoTime() - deadline > 0) {
      running = false;
      throw new AssertionError(what + (surprise.get() == null ? "" : "; saw " + surprise.get()));
    }
  }

  private final class Client extends Thread {
    final KeyValidator node;
    final PresentedKey key;
    volatile long lastAllowedStart = Long.MIN_VALUE / 2;
    volatile long lastAllowedEnd;
    volatile long firstRefusedEnd;
    volatile long requests;

    Client(KeyValidator node, PresentedKey key) {
      super("hammer");
      setDaemon(true);
      this.node = node;
      this.key = key;
    }

    @Override
    public void run() {
      while (running) {
        long start = System.nanoTime();
        boolean allowed;
        try {
          ValidationResult result = node.validate(key);
          allowed = result instanceof ValidationResult.Valid;
          if (result instanceof ValidationResult.Invalid invalid && invalid.reason() != expected) {
            surprise.compareAndSet(null, "refusal " + invalid.reason());
          }
        } catch (Exception e) {
          allowed = false;
          surprise.compareAndSet(null, e.toString());
        }
        long end = System.nanoTime();
        requests++;
        if (allowed) {
          lastAllowedStart = start;
          lastAllowedEnd = end;
        } else if (firstRefusedEnd == 0) {
          firstRefusedEnd = end;
        }
      }
    }
  }
}
