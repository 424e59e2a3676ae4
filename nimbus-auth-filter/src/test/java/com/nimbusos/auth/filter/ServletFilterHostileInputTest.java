package com.nimbusos.auth.filter;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HostileInputContract;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.StartedApp;
import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hostile-input corpus against the servlet filter on Jetty. */
class ServletFilterHostileInputTest extends HostileInputContract {

  @RegisterExtension
  static final StartedApp<LoopbackJetty> APP =
      StartedApp.of(() -> JettyApp.start(ContractApp.PROPERTIES_WITH_RULES));

  @Override
  protected URI baseUri() {
    return APP.baseUri();
  }
}
