package com.nimbusos.auth.api.audit;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-key usage, for the spec's "monitor key usage for anomalies": how many requests each key made,
 * and whether a key shows up from a client network (an IPv4 /24 or IPv6 /48) it has not been seen
 * from. Memory is bounded: at most {@value #NETWORKS_PER_KEY} networks are remembered per key.
 * Thread-safe.
 *
 * <p>The servlet filter publishes its instance as the servlet-context attribute named after this
 * class: {@code (KeyUsage) servletContext.getAttribute(KeyUsage.class.getName())}.
 */
public final class KeyUsage {

  static final int NETWORKS_PER_KEY = 64;

  /**
   * Client addresses whose network is remembered, so that it is not parsed again on every request.
   */
  static final int REMEMBERED_ADDRESSES = 10_000;

  private static final String NO_NETWORK = "";

  private final Map<String, Usage> usage = new ConcurrentHashMap<>();
  private final Map<String, String> networkByAddress = new ConcurrentHashMap<>();

  /**
   * One key's usage: its request count and the networks it was seen from (least recently seen
   * first). The network of its last request is kept apart too, so that a key used again from where
   * it was used last, the usual case, costs no lock: that network is already the most recently
   * seen.
   */
  private static final class Usage {
    final LongAdder requests = new LongAdder();
    final Set<String> networks =
        Collections.synchronizedSet(
            Collections.newSetFromMap(
                new LinkedHashMap<>(16, 0.75f, true) {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > NETWORKS_PER_KEY;
                  }
                }));
    volatile String lastNetwork;
  }

  /**
   * Counts one request of {@code keyId} from {@code clientAddress}.
   *
   * @return whether that key had not been seen from the client's network before
   */
  public boolean record(String keyId, String clientAddress) {
    Usage key = usage.get(keyId);
    if (key == null) {
      key = usage.computeIfAbsent(keyId, k -> new Usage());
    }
    key.requests.increment();
    String network = networkOf(clientAddress);
    if (network == null) {
      return false;
    }
    if (network.equals(key.lastNetwork)) {
      return false; // seen last time: it is the most recent entry already, nothing to move
    }
    boolean added;
    synchronized (key.networks) {
      added = key.networks.add(network);
    }
    key.lastNetwork = network;
    return added;
  }

  /** Requests per key id since start, in key id order. */
  public Map<String, Long> requestsByKey() {
    Map<String, Long> snapshot = new TreeMap<>();
    usage.forEach((key, counts) -> snapshot.put(key, counts.requests.sum()));
    return snapshot;
  }

  /** Requests of one key since start. */
  public long requests(String keyId) {
    Usage counts = usage.get(keyId);
    return counts == null ? 0 : counts.requests.sum();
  }

  /**
   * The client's network, remembered per address (parsing one costs about a microsecond); memory is
   * bounded, past {@value #REMEMBERED_ADDRESSES} addresses the memory starts over.
   */
  private String networkOf(String address) {
    if (address == null) {
      return null;
    }
    String network = networkByAddress.get(address);
    if (network == null) {
      String computed = network(address);
      network = computed == null ? NO_NETWORK : computed;
      if (networkByAddress.size() >= REMEMBERED_ADDRESSES) {
        networkByAddress.clear();
      }
      networkByAddress.put(address, network);
    }
    return network.isEmpty() ? null : network;
  }

  private static String network(String address) {
    if (address == null) {
      return null;
    }
    byte[] bytes = com.nimbusos.auth.api.config.Cidr.literal(address);
    if (bytes == null) {
      return null;
    }
    int keep = bytes.length == 4 ? 3 : 6;
    byte[] prefix = new byte[bytes.length];
    System.arraycopy(bytes, 0, prefix, 0, keep);
    try {
      return InetAddress.getByAddress(prefix).getHostAddress() + "/" + (keep * 8);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
