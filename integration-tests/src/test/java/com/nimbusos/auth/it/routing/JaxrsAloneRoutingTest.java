package com.nimbusos.auth.it.routing;

import org.junit.jupiter.api.BeforeAll;

/** The routing corpus in process: the JAX-RS feature alone. */
class JaxrsAloneRoutingTest extends InProcessRouting {

  @BeforeAll
  static void startStack() throws Exception {
    start(InProcessStack.Wiring.JAXRS_ALONE);
  }
}
