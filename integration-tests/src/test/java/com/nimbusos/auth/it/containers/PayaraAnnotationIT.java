package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The contract on Payara Server (remote: the build starts and stops the domain): {@link
 * Wiring#ANNOTATION}.
 */
class PayaraAnnotationIT extends ContainerContract {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.ANNOTATION.war();
  }
}
