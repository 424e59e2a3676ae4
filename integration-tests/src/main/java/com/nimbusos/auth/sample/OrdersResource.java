package com.nimbusos.auth.sample;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The sample's orders. Each answer says who called and with which scopes, as the application sees
 * it through the standard {@link SecurityContext}, so tests and the demo show the key's principal.
 */
@Path("orders")
@Produces(MediaType.TEXT_PLAIN)
public class OrdersResource {

  /** Scope needed to list orders. */
  public static final String READ = "orders:read";

  /** Scope needed to create orders. */
  public static final String WRITE = "orders:write";

  @Context private SecurityContext security;

  /** Lists orders; needs {@value #READ}. */
  @GET
  @RolesAllowed(READ)
  public String list() {
    return describe("GET");
  }

  /** Creates an order; needs {@value #WRITE}. */
  @POST
  @RolesAllowed(WRITE)
  public String create() {
    return describe("POST");
  }

  private String describe(String method) {
    return Caller.describe(
        method,
        security.getUserPrincipal(),
        security.getAuthenticationScheme(),
        security.isUserInRole(READ),
        security.isUserInRole(WRITE));
  }
}
