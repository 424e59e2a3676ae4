package com.nimbusos.auth.it.containers.app.jsec;

import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.sample.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code /container/caller}: the caller as the runtime's own JAX-RS {@link SecurityContext} shows
 * it; also says whether Nimbus's JAX-RS filter ran (it must not, in {@link
 * ContainerViewApplication}).
 */
@Path("caller")
@Produces(MediaType.TEXT_PLAIN)
public class ContainerViewResource {

  @Context private SecurityContext security;
  @Context private HttpServletRequest request;

  @GET
  public String caller() {
    return Caller.describe(
            "GET",
            security.getUserPrincipal(),
            security.getAuthenticationScheme(),
            security.isUserInRole(Views.READ),
            security.isUserInRole(Views.WRITE))
        + " nimbusJaxrsFilter="
        + (request.getAttribute(RequestAttributes.JAXRS_DECISION) != null);
  }
}
