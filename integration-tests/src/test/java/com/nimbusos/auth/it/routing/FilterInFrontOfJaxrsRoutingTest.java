package com.nimbusos.auth.it.routing;

import org.junit.jupiter.api.BeforeAll;

/**
 * The routing corpus in process: the servlet filter on {@code /*}, the JAX-RS feature behind it.
 */
class FilterInFrontOfJaxrsRoutingTest extends InProcessRouting {

  @BeforeAll
  static void startStack() throws Exception {
    start(InProcessStack.Wiring.FILTER_IN_FRONT_OF_JAXRS);
  }
}
