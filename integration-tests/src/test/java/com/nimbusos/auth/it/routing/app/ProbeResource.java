package com.nimbusos.auth.it.routing.app;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * TEST ONLY: a resource with no security annotation that answers every method on {@code /probe} and
 * everything below it, and says how it was reached: the method JAX-RS routed it as, the decoded
 * path it was matched with, and the caller's key id ({@value Probe#NO_KEY} for none). In the {@link
 * Probe} headers (HEAD has no body) and in the body, each value form-encoded. The routing corpus
 * compares that with what Nimbus Auth decided for the same request.
 */
@Path("probe")
public class ProbeResource {

  @Context private UriInfo uriInfo;
  @Context private Request request;
  @Context private SecurityContext security;

  @GET
  public Response get() {
    return echo();
  }

  @GET
  @Path("{rest: .*}")
  public Response getBelow() {
    return echo();
  }

  @POST
  public Response post() {
    return echo();
  }

  @POST
  @Path("{rest: .*}")
  public Response postBelow() {
    return echo();
  }

  @PUT
  public Response put() {
    return echo();
  }

  @PUT
  @Path("{rest: .*}")
  public Response putBelow() {
    return echo();
  }

  @DELETE
  public Response delete() {
    return echo();
  }

  @DELETE
  @Path("{rest: .*}")
  public Response deleteBelow() {
    return echo();
  }

  @PATCH
  public Response patch() {
    return echo();
  }

  @PATCH
  @Path("{rest: .*}")
  public Response patchBelow() {
    return echo();
  }

  private Response echo() {
    String method = request.getMethod();
    // As the JAX-RS adapter builds its path: Jersey's getPath has no leading '/', RESTEasy's has.
    String decoded = uriInfo.getPath(true);
    String path = decoded.startsWith("/") ? decoded : "/" + decoded;
    String keyId =
        security.getUserPrincipal() instanceof ApiKeyPrincipal caller
            ? caller.keyId()
            : Probe.NO_KEY;
    return Response.ok(
            "method=" + encode(method) + "&path=" + encode(path) + "&keyId=" + encode(keyId) + "\n",
            MediaType.TEXT_PLAIN_TYPE)
        .header(Probe.METHOD_HEADER, encode(method))
        .header(Probe.PATH_HEADER, encode(path))
        .header(Probe.KEY_HEADER, encode(keyId))
        .build();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
