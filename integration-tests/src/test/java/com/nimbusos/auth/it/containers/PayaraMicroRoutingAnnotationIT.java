package com.nimbusos.auth.it.containers;

import org.junit.jupiter.api.BeforeAll;

/**
 * The routing corpus on Payara Micro 6 (EE 10): {@link Wiring#ANNOTATION}, with the probe and the
 * JAX-RS jar.
 */
class PayaraMicroRoutingAnnotationIT extends PayaraMicroRouting {

  @BeforeAll
  static void startMicro() throws Exception {
    start("micro-routing-annotation", Wiring.ANNOTATION.routingWar());
  }
}
