package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The contract on Payara Server (remote: the build starts and stops the domain): {@link
 * Wiring#JAKARTA_SECURITY}, and what container security sees of the caller.
 */
class PayaraJakartaSecurityIT extends JakartaSecurityContainerContract {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAKARTA_SECURITY.war();
  }
}
