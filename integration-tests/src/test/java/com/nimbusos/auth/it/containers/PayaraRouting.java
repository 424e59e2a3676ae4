package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.it.routing.RoutingCorpus;

/**
 * The routing corpus on Payara Server. Grizzly answers a target it cannot percent-decode ({@code
 * /probe%zz}), and at times one ending in a dot segment, with an empty {@code 200} before any
 * filter runs, and logs a stack trace (payara/Payara#8000; {@link PayaraGrizzly#answersItself}).
 */
abstract class PayaraRouting extends ContainerRouting {

  @Override
  protected boolean answeredBeforeNimbus(RoutingCorpus.Case c) {
    return PayaraGrizzly.answersItself(c.target());
  }
}
