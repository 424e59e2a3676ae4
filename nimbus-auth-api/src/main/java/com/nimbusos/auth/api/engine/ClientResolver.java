package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.config.Cidr;
import com.nimbusos.auth.api.config.NimbusAuthConfig.ProxyHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who is really calling, and over what: the connection's own address and scheme, unless the
 * connection comes from a configured trusted proxy, whose forwarding headers are then believed:
 * {@code X-Forwarded-For} / {@code X-Forwarded-Proto} or RFC 7239 {@code Forwarded}, whichever is
 * configured, never both. A proxy writes one family and passes the other on as the client sent it,
 * so believing both would let a client forge the one the proxy leaves alone. From anyone else those
 * headers are ignored, so a client cannot claim HTTPS or another address to escape the HTTPS policy
 * or throttling.
 */
final class ClientResolver {

  /**
   * The caller as resolved.
   *
   * @param address the client's address, or {@code null} when the adapter cannot tell
   * @param secure whether the client's own connection used HTTPS
   */
  record Client(String address, boolean secure) {}

  private final List<Cidr> trustedProxies;
  private final ProxyHeader header;

  ClientResolver(List<Cidr> trustedProxies, ProxyHeader header) {
    this.trustedProxies = List.copyOf(trustedProxies);
    this.header = header;
  }

  Client resolve(AuthRequest request) {
    String remote = request.remoteAddress();
    if (remote == null || !isTrusted(remote)) {
      return new Client(remote, request.isSecure());
    }
    List<Hop> hops = header == ProxyHeader.FORWARDED ? forwarded(request) : xForwardedFor(request);
    if (hops.isEmpty()) {
      return new Client(remote, request.isSecure());
    }
    String address = remote;
    Boolean secure = null;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Hop hop = hops.get(i);
      if (secure == null && hop.proto() != null) {
        secure = hop.proto().equals("https");
      }
      if (hop.address() == null) {
        break;
      }
      address = hop.address();
      if (!isTrusted(address)) {
        break;
      }
    }
    if (secure == null && header == ProxyHeader.X_FORWARDED_FOR) {
      List<String> protos = request.headerValues("X-Forwarded-Proto");
      secure = protos.isEmpty() ? null : last(protos).equals("https");
    }
    return new Client(address, secure == null ? request.isSecure() : secure);
  }

  private boolean isTrusted(String address) {
    for (Cidr range : trustedProxies) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private record Hop(String address, String proto) {}

  /** The hops recorded in {@code Forwarded}, nearest last. */
  private static List<Hop> forwarded(AuthRequest request) {
    List<Hop> hops = new ArrayList<>();
    for (String header : request.headerValues("Forwarded")) {
      for (String element : header.split(",", -1)) {
        String address = null;
        String proto = null;
        for (String pair : element.split(";", -1)) {
          int equals = pair.indexOf('=');
          if (equals < 0) {
            continue;
          }
          String name = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
          String value = unquote(pair.substring(equals + 1).strip());
          if (name.equals("for")) {
            address = nodeAddress(value);
          } else if (name.equals("proto")) {
            proto = value.toLowerCase(Locale.ROOT);
          }
        }
        hops.add(new Hop(address, proto));
      }
    }
    return hops;
  }

  /**
   * The hops recorded in {@code X-Forwarded-For}, nearest last; the scheme is in another header.
   */
  private static List<Hop> xForwardedFor(AuthRequest request) {
    List<Hop> hops = new ArrayList<>();
    for (String header : request.headerValues("X-Forwarded-For")) {
      for (String address : header.split(",", -1)) {
        hops.add(new Hop(Cidr.literal(address.strip()) == null ? null : address.strip(), null));
      }
    }
    return hops;
  }

  /**
   * The address in a {@code for=} node: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code
   * [2001:db8::1]:80}.
   */
  private static String nodeAddress(String node) {
    String address = node;
    if (address.startsWith("[")) {
      int end = address.indexOf(']');
      address = end < 0 ? "" : address.substring(1, end);
    } else if (address.indexOf(':') == address.lastIndexOf(':') && address.indexOf(':') > 0) {
      address = address.substring(0, address.indexOf(':'));
    }
    return Cidr.literal(address) == null ? null : address;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  /**
   * The last element of the last value, {@code ""} for an empty one: a proxy that sent {@code ","}
   * or a trailing comma did not say https (split without a limit returned no element for {@code
   * ","}, and reading the last one of none threw).
   */
  private static String last(List<String> values) {
    String[] parts = values.get(values.size() - 1).split(",", -1);
    return parts[parts.length - 1].strip().toLowerCase(Locale.ROOT);
  }
}
