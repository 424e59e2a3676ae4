package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathPatternTest {

  @Test
  void exactPatternMatchesThePathWithOrWithoutTrailingSlash() {
    PathPattern health = PathPattern.parse("/health");
    assertTrue(health.matches("/health"));
    assertTrue(health.matches("/health/"));
    assertFalse(health.matches("/health/live"));
    assertFalse(health.matches("/healthz"));
    assertFalse(health.matches("/Health"));
    assertFalse(health.matches("/orders"));
  }

  @Test
  void prefixPatternMatchesItsBaseAndEverythingBelowIt() {
    PathPattern orders = PathPattern.parse("/orders/*");
    assertTrue(orders.matches("/orders"));
    assertTrue(orders.matches("/orders/"));
    assertTrue(orders.matches("/orders/42/items"));
    assertFalse(orders.matches("/ordersx"));
    assertFalse(orders.matches("/"));
  }

  @Test
  void slashStarMatchesEverything() {
    assertTrue(PathPattern.parse("/*").matches("/"));
    assertTrue(PathPattern.parse("/*").matches("/anything/at/all"));
  }

  @Test
  void slashMatchesOnlyTheRoot() {
    assertTrue(PathPattern.parse("/").matches("/"));
    assertFalse(PathPattern.parse("/").matches("/orders"));
  }
}
