package com.example.readme;

import com.nimbusos.auth.jaxrs.NimbusAuthFeature;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

// docs/wirings.md: the JAX-RS feature registered in code; DocsExamplesTest finds its block here.
@ApplicationPath("/api")
public class PartnerApi extends Application {

  @Override
  public Set<Object> getSingletons() {
    return Set.of(new NimbusAuthFeature(new PartnerKeyValidator()));
  }

  @Override
  public Map<String, Object> getProperties() {
    return Map.of("nimbus.auth.environment", "production", "nimbus.auth.public-paths", "/health");
  }
}
