package com.nimbusos.auth.sample;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Liveness, public: load balancers carry no key. */
@Path("health")
@PermitAll
public class HealthResource {

  /** Always up while the application runs. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String health() {
    return "{\"status\":\"UP\"}";
  }
}
