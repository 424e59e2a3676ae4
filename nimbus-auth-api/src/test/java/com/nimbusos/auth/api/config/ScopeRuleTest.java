package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeRuleTest {

  @Test
  void readsMethodsPathAndScopes() {
    ScopeRule rule = ScopeRule.parse(" get,Post /orders/* = orders:read, orders:admin ");
    assertEquals(Set.of("GET", "POST"), rule.methods());
    assertEquals("/orders/*", rule.path().toString());
    assertEquals(Set.of("orders:read", "orders:admin"), rule.anyOfScopes());
    assertTrue(rule.appliesTo("GET", "/orders/1"));
    assertFalse(rule.appliesTo("DELETE", "/orders/1"));
  }

  @Test
  void appliesToEveryMethodWhenNoneIsNamed() {
    ScopeRule rule = ScopeRule.parse("/admin/* = admin");
    assertTrue(rule.methods().isEmpty());
    assertTrue(rule.appliesTo("DELETE", "/admin"));
  }

  @Test
  void refusesRulesWithoutPathOrScope() {
    assertThrows(IllegalArgumentException.class, () -> ScopeRule.parse("/orders"));
    assertThrows(IllegalArgumentException.class, () -> ScopeRule.parse("/orders ="));
    assertThrows(IllegalArgumentException.class, () -> ScopeRule.parse("GET POST /orders = x"));
    assertThrows(IllegalArgumentException.class, () -> ScopeRule.parse("= x"));
  }
}
