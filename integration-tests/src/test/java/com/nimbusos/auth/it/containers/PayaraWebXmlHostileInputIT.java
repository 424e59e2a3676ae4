package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The hostile-input corpus on Payara: {@link Wiring#WEB_XML}. */
class PayaraWebXmlHostileInputIT extends ContainerHostileInput {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.WEB_XML.war();
  }
}
