package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.ContractApp;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** The contract app's orders, protected by {@code @RolesAllowed}: roles are scopes. */
@Path("orders")
@Produces(MediaType.TEXT_PLAIN)
public class OrdersResource {

  @Context private SecurityContext security;

  @GET
  @RolesAllowed(ContractApp.READ_SCOPE)
  public String list() {
    return describe("GET");
  }

  @POST
  @RolesAllowed(ContractApp.WRITE_SCOPE)
  public String create() {
    return describe("POST");
  }

  private String describe(String method) {
    return ContractApp.describe(
        method,
        security.getUserPrincipal(),
        security.getAuthenticationScheme(),
        security.isUserInRole(ContractApp.READ_SCOPE),
        security.isUserInRole(ContractApp.WRITE_SCOPE));
  }
}
