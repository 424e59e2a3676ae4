package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The routing corpus on Payara: {@link Wiring#WEB_XML}, with the probe and the JAX-RS jar. */
class PayaraRoutingWebXmlIT extends PayaraRouting {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.WEB_XML.routingWar();
  }
}
