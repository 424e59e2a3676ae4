package com.nimbusos.auth.jaxrs;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Path;

/**
 * Resources for the JAX-RS adapter's own cases; the class demands orders:read unless a method says
 * more.
 */
@Path("edge")
@RolesAllowed("orders:read")
public class EdgeResource {

  @GET
  @Path("denied")
  @DenyAll
  public String denied() {
    return "never";
  }

  @GET
  @Path("open")
  @PermitAll
  public String open() {
    return "open";
  }

  @GET
  @Path("inherited")
  public String inherited() {
    return "inherited";
  }

  @GET
  @Path("throws-forbidden")
  public String throwsForbidden() {
    throw new ForbiddenException("Only for auditors of acme");
  }

  @GET
  @Path("throws-not-authorized")
  public String throwsNotAuthorized() {
    throw new NotAuthorizedException("Bearer");
  }

  @GET
  @Path("throws-ejb-access")
  public String throwsEjbAccess() {
    // What an EJB container throws through a caller lacking a bean's @RolesAllowed (WildFly's
    // wording).
    throw new jakarta.ejb.EJBAccessException(
        "WFLYEJB0364: Invocation on method: public String Ledger.record() is not allowed");
  }

  @GET
  @Path("throws-ours")
  public String throwsOurs() {
    throw ApiKeyAuthException.forbidden();
  }
}
