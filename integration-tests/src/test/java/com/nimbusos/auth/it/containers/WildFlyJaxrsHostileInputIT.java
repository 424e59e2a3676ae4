package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The hostile-input corpus on WildFly: {@link Wiring#JAXRS}. */
class WildFlyJaxrsHostileInputIT extends ContainerHostileInput {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAXRS.war();
  }
}
