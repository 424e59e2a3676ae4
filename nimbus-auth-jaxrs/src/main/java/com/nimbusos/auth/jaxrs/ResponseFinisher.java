package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.ErrorResponse;
import com.nimbusos.auth.api.engine.NimbusHeaders;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestTrail;
import com.nimbusos.auth.api.engine.ResourceAccess;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Puts {@code X-Request-Id} on every JAX-RS response, and renders the errors that {@link
 * AuthErrorMapper} left pending: only here, where the request is known, can their body carry the
 * request's id.
 */
final class ResponseFinisher implements ContainerResponseFilter {

  private final LazyEngine lazyEngine;

  @Context private Configuration configuration;

  ResponseFinisher(LazyEngine lazyEngine) {
    this.lazyEngine = lazyEngine;
  }

  private static void write(ContainerResponseContext response, ErrorResponse rendered) {
    response.setStatus(rendered.status());
    for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
      response.getHeaders().putSingle(header.getKey(), header.getValue());
    }
    if (rendered.body() == null) {
      response.setEntity(null);
    } else {
      response.setEntity(
          JaxrsResponses.json(rendered.body()),
          new java.lang.annotation.Annotation[0],
          MediaType.APPLICATION_JSON_TYPE);
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    AuthenticationEngine engine = lazyEngine.get(configuration);
    RequestTrail upstream =
        request.getProperty(RequestAttributes.TRAIL) instanceof RequestTrail t ? t : null;
    RequestTrail own =
        request.getProperty(RequestAttributes.JAXRS_TRAIL) instanceof RequestTrail t ? t : null;
    if (own == null && upstream == null) {
      // A request our request filter never saw: the runtime answered it by itself (no resource
      // matched, a
      // 404 or 405; RESTEasy's automatic OPTIONS). Every request needs a key and an audit event, so
      // decide
      // it now; refused, it gets our refusal instead of the runtime's answer.
      Decision decided =
          engine.decideAndRecord(new JaxrsAuthRequest(request), ResourceAccess.authenticated());
      own = engine.trail(decided, null);
      request.setProperty(ApiKeyRequestFilter.DECISION, decided);
      if (!decided.allowed()) {
        response.setEntity(null);
        response.getHeaders().clear();
        write(response, engine.response(decided));
        own.complete(response.getStatus());
        return;
      }
    }
    RequestTrail trail = upstream != null ? upstream : own;
    if (response.getEntity() instanceof PendingAuthError pending) {
      // The application (or an EJB) refused the request by an exception: the request's one event
      // records it.
      Decision.Denied denied =
          new Decision.Denied(trail.requestId(), pending.error(), pending.reason());
      engine.amend(trail, denied);
      write(response, engine.errorResponse(denied));
    }
    if (upstream == null) {
      // The servlet adapter, when one decided, set these headers on the servlet response, and
      // completes
      // the trail itself when the request ends.
      Decision current = own.last();
      if (current.allowed()) {
        engine.successHeaders(current, response.getHeaders()::putSingle);
      } else {
        response.getHeaders().putSingle(NimbusHeaders.REQUEST_ID, own.requestId());
      }
      own.complete(response.getStatus());
    }
  }
}
