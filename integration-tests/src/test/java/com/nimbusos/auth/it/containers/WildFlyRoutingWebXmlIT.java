package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The routing corpus on WildFly: {@link Wiring#WEB_XML}, with the probe and the JAX-RS jar. */
class WildFlyRoutingWebXmlIT extends WildFlyRouting {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.WEB_XML.routingWar();
  }
}
