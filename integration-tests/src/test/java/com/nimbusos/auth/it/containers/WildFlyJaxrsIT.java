package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The contract on WildFly (managed: the adapter starts and stops the server): {@link Wiring#JAXRS}.
 */
class WildFlyJaxrsIT extends ContainerContract {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAXRS.war();
  }
}
