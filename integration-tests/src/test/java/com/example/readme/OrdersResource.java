package com.example.readme;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

// The README's and docs/wirings.md's JAX-RS resource; DocsExamplesTest finds their blocks here.
@Path("orders")
public class OrdersResource {
  @Context SecurityContext security;          // security.getUserPrincipal() is the ApiKeyPrincipal

  @GET  @RolesAllowed("orders:read")  public String list()   { return "orders of " + security.getUserPrincipal().getName(); }
  @POST @RolesAllowed("orders:write") public String create() { return "created by " + security.getUserPrincipal().getName(); }
}
