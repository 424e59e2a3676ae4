package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The routing corpus on WildFly: {@link Wiring#JAKARTA_SECURITY}, with the probe and the JAX-RS
 * jar.
 */
class WildFlyRoutingJakartaSecurityIT extends WildFlyRouting {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAKARTA_SECURITY.routingWar();
  }
}
