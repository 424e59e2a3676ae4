package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void matchesIpv4Ranges() {
    Cidr range = Cidr.parse("10.0.0.0/8");
    assertTrue(range.contains("10.255.1.2"));
    assertFalse(range.contains("11.0.0.1"));
    assertTrue(Cidr.parse("192.168.1.7").contains("192.168.1.7"));
    assertFalse(Cidr.parse("192.168.1.7").contains("192.168.1.8"));
    assertTrue(Cidr.parse("0.0.0.0/0").contains("203.0.113.9"));
    assertTrue(range.contains("::ffff:10.1.2.3"), "IPv4-mapped IPv6 addresses count as IPv4");
  }

  @Test
  void matchesIpv6Ranges() {
    Cidr range = Cidr.parse("2001:db8::/32");
    assertTrue(range.contains("2001:db8:1::5"));
    assertTrue(range.contains("[2001:db8::1]"));
    assertFalse(range.contains("2001:db9::1"));
    assertFalse(range.contains("10.0.0.1"));
  }

  @Test
  void refusesHostNamesAndBadPrefixesWithoutAskingDns() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("proxy.internal"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.256"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("zz::1"));
    assertNull(Cidr.literal("localhost"));
    assertFalse(Cidr.parse("127.0.0.0/8").contains("localhost"));
  }
}
