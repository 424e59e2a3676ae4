package com.nimbusos.auth.filter;

import com.nimbusos.auth.contract.ApiKeyContract;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.LogCapture;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, against the servlet filter declared with init-params on an embedded Jetty. */
@ExtendWith(LogCapture.class)
class ServletFilterContractTest extends ApiKeyContract {

  private static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    // The log sink, named: LogCapture proves that audit lines, written where it can read them,
    // carry no key.
    java.util.Map<String, String> properties =
        new java.util.HashMap<>(ContractApp.PROPERTIES_WITH_RULES);
    properties.put("nimbus.auth.audit.sink", "logging");
    app = JettyApp.start(properties);
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
