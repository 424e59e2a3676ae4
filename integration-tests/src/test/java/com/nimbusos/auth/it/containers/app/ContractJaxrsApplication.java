package com.nimbusos.auth.it.containers.app;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.it.routing.app.Probe;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.HashMap;
import java.util.Map;

/**
 * The "jaxrs" wiring: replaces the sample's {@code OrdersApplication} at {@code /} and configures
 * the discovered {@code NimbusAuthFeature} through {@link #getProperties()}; resources and the
 * feature are found by scanning. No scope rules for the sample: {@code @RolesAllowed} on its
 * resources decides; the routing corpus's probe has no annotation, its rules and public path come
 * from {@link Probe}.
 */
@ApplicationPath("/")
public class ContractJaxrsApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    return new HashMap<>(Probe.with(ContractApp.properties(true, false)));
  }
}
