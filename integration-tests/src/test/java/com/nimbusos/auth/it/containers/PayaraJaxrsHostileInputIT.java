package com.nimbusos.auth.it.containers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The hostile-input corpus on Payara: {@link Wiring#JAXRS}. */
class PayaraJaxrsHostileInputIT extends ContainerHostileInput {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAXRS.war();
  }

  /**
   * Payara's Grizzly fails to decode {@code /orders%zz} before any filter runs
   * (payara/Payara#8000).
   */
  @Override
  protected java.util.Set<String> answeredBeforeNimbus() {
    return java.util.Set.of("malformed-percent-escape");
  }
}
