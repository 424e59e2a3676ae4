package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.ApiKeyContract;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.LogCapture;
import com.nimbusos.auth.contract.StartedApp;
import java.net.URI;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract, against the JAX-RS feature configured by application properties on Jersey. */
@ExtendWith(LogCapture.class)
class JaxrsContractTest extends ApiKeyContract {

  @RegisterExtension
  static final StartedApp<JerseyApp> APP =
      StartedApp.of(
          () ->
              JerseyApp.start(
                  JerseyApp.contract(ContractApp.PROPERTIES)
                      // The log sink, named: LogCapture proves that audit lines carry no key.
                      .property("nimbus.auth.audit.sink", "logging")));

  @Override
  protected URI baseUri() {
    return APP.baseUri();
  }
}
