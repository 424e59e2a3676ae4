package com.nimbusos.auth.filter;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HostileInputContract;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The hostile-input corpus against the servlet filter on Jetty. */
class ServletFilterHostileInputTest extends HostileInputContract {

  private static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    app = JettyApp.start(ContractApp.PROPERTIES_WITH_RULES);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Override
  protected URI baseUri() {
    return app.baseUri();
  }
}
