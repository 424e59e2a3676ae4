package com.nimbusos.auth.api.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address range such as {@code 10.0.0.0/8}, {@code 192.168.1.7} or {@code fd00::/8}, for {@code
 * nimbus.auth.trusted-proxies}. Only address literals are accepted: parsing never asks DNS.
 */
public final class Cidr {

  private final String text;
  private final byte[] network;
  private final int prefix;

  private Cidr(String text, byte[] network, int prefix) {
    this.text = text;
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses a range.
   *
   * @throws IllegalArgumentException if it is not an IPv4 or IPv6 literal with an optional valid
   *     prefix
   */
  public static Cidr parse(String range) {
    String text = range.strip();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or range");
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("'" + text + "' has a prefix outside 0.." + bits);
      }
    }
    return new Cidr(text, mask(bytes, prefix), prefix);
  }

  /**
   * Whether {@code address} (a literal) lies in this range; {@code false} for anything unparseable.
   */
  public boolean contains(String address) {
    byte[] bytes = address == null ? null : literal(address);
    if (bytes == null) {
      return false;
    }
    if (bytes.length != network.length) {
      bytes = ipv4MappedToIpv4(bytes);
      if (bytes == null || bytes.length != network.length) {
        return false;
      }
    }
    return Arrays.equals(mask(bytes, prefix), network);
  }

  /**
   * The bytes of an IP literal, or {@code null} for anything else (host names included: no DNS
   * lookup).
   */
  public static byte[] literal(String address) {
    String a = address.strip();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    boolean ipv4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = a.indexOf(':') >= 0 && a.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");
    if (!ipv4 && !ipv6) {
      return null;
    }
    if (ipv4) {
      for (String part : a.split("\\.", -1)) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  private static byte[] ipv4MappedToIpv4(byte[] bytes) {
    if (bytes.length == 4) {
      return null;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return null;
      }
    }
    if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return null;
    }
    return Arrays.copyOfRange(bytes, 12, 16);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xff << (8 - keep));
    }
    return masked;
  }

  @Override
  public String toString() {
    return text;
  }
}
