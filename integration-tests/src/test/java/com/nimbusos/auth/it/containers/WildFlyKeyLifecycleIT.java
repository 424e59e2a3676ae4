package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The key lifecycle on WildFly, JDBC store on its default data source. */
class WildFlyKeyLifecycleIT extends ContainerKeyLifecycle {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return war();
  }
}
