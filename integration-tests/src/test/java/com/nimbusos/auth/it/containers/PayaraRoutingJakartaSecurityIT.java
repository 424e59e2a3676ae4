package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The routing corpus on Payara: {@link Wiring#JAKARTA_SECURITY}, with the probe and the JAX-RS jar.
 */
class PayaraRoutingJakartaSecurityIT extends PayaraRouting {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAKARTA_SECURITY.routingWar();
  }
}
