package com.nimbusos.auth.filter;

import com.nimbusos.auth.contract.ApiKeyContract;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.LogCapture;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.StartedApp;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract, against the servlet filter declared with init-params on an embedded Jetty. */
@ExtendWith(LogCapture.class)
class ServletFilterContractTest extends ApiKeyContract {

  @RegisterExtension
  static final StartedApp<LoopbackJetty> APP =
      StartedApp.of(
          () -> {
            // The log sink, named: LogCapture proves that audit lines, written where it can read
            // them, carry no key.
            Map<String, String> properties = new HashMap<>(ContractApp.PROPERTIES_WITH_RULES);
            properties.put("nimbus.auth.audit.sink", "logging");
            return JettyApp.start(properties);
          });

  @Override
  protected URI baseUri() {
    return APP.baseUri();
  }
}
