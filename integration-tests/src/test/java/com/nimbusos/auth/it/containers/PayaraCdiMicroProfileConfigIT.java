package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The contract on Payara with {@link Wiring#CDI_MICROPROFILE_CONFIG}: a CDI validator bean named
 * nowhere, and the configuration from MicroProfile Config, a context-param taking precedence over
 * it.
 */
class PayaraCdiMicroProfileConfigIT extends ContainerContract {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.CDI_MICROPROFILE_CONFIG.war();
  }
}
