package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HostileInputContract;
import com.nimbusos.auth.contract.StartedApp;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hostile-input corpus against the JAX-RS feature on Jersey (Grizzly). */
class JaxrsHostileInputTest extends HostileInputContract {

  @RegisterExtension
  static final StartedApp<JerseyApp> APP =
      StartedApp.of(() -> JerseyApp.start(JerseyApp.contract(ContractApp.PROPERTIES)));

  @Override
  protected URI baseUri() {
    return APP.baseUri();
  }

  /**
   * Jersey's Grizzly container builds a {@code java.net.URI} of the target before any filter runs,
   * and answers {@code /orders%zz} with its own 500 page. In a servlet container, the Nimbus filter
   * (or the container) sees it first.
   */
  @Override
  protected Set<String> answeredBeforeNimbus() {
    return Set.of("malformed-percent-escape");
  }
}
