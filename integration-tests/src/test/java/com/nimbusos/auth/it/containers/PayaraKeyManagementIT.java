package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The key management API on Payara, behind the servlet filter, JDBC store on its default data
 * source.
 */
class PayaraKeyManagementIT extends ContainerKeyManagement {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return war();
  }
}
