package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The contract on WildFly (managed: the adapter starts and stops the server): {@link
 * Wiring#WEB_XML}; also the server's TLS protocols.
 */
class WildFlyWebXmlIT extends ContainerContract implements TlsChecks {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.WEB_XML.war();
  }
}
