package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** {@link MisconfiguredDeployment} on WildFly. */
class WildFlyMisconfiguredIT extends MisconfiguredDeployment {

  @Deployment(name = NAME, managed = false, testable = false)
  static WebArchive deployment() {
    return war();
  }
}
