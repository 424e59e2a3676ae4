package com.nimbusos.auth.it.containers;

import org.junit.jupiter.api.BeforeAll;

/**
 * The routing corpus on Payara Micro 6 (EE 10): {@link Wiring#JAXRS}, with the probe and the JAX-RS
 * jar.
 */
class PayaraMicroRoutingJaxrsIT extends PayaraMicroRouting {

  @BeforeAll
  static void startMicro() throws Exception {
    start("micro-routing-jaxrs", Wiring.JAXRS.routingWar());
  }
}
