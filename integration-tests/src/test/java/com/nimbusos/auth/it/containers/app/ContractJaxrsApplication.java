package com.nimbusos.auth.it.containers.app;

import com.nimbusos.auth.contract.ContractApp;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.HashMap;
import java.util.Map;

/**
 * The "jaxrs" wiring: replaces the sample's {@code OrdersApplication} at {@code /} and configures the
 * discovered {@code NimbusAuthFeature} through {@link #getProperties()}; resources and the feature are
 * found by scanning. No scope rules: {@code @RolesAllowed} on the sample's resources decides.
 */
@ApplicationPath("/")
public class ContractJaxrsApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    return new HashMap<>(ContractApp.properties(true, false));
  }
}
