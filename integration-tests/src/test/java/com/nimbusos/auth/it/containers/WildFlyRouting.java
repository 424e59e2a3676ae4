package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.it.routing.RoutingCorpus;

/**
 * The routing corpus on WildFly. Undertow cannot match an origin-less target ({@code *}, {@code
 * probe/x}) to a servlet: it answers {@code 500} and logs UT000068 with a stack trace, before any
 * filter runs.
 */
abstract class WildFlyRouting extends ContainerRouting {

  @Override
  protected boolean answeredBeforeNimbus(RoutingCorpus.Case c) {
    return originLess(c.target());
  }
}
