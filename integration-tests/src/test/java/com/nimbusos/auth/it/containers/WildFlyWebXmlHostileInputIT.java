package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The hostile-input corpus on WildFly: {@link Wiring#WEB_XML}. */
class WildFlyWebXmlHostileInputIT extends ContainerHostileInput {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.WEB_XML.war();
  }
}
