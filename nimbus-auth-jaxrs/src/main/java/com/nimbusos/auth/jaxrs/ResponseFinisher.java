package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.ErrorResponse;
import com.nimbusos.auth.api.engine.NimbusHeaders;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestIds;
import com.nimbusos.auth.api.engine.ResourceAccess;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Puts {@code X-Request-Id} on every JAX-RS response, and renders the errors that {@link AuthErrorMapper}
 * left pending: only here, where the request is known, can their body carry the request's id.
 */
final class ResponseFinisher implements ContainerResponseFilter {

  private final Engines engines;

  @Context private Configuration configuration;

  ResponseFinisher(Engines engines) {
    this.engines = engines;
  }

  private static void write(ContainerResponseContext response, ErrorResponse rendered) {
    response.setStatus(rendered.status());
    for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
      response.getHeaders().putSingle(header.getKey(), header.getValue());
    }
    if (rendered.body() == null) {
      response.setEntity(null);
    } else {
      response.setEntity(JaxrsResponses.json(rendered.body()), new java.lang.annotation.Annotation[0], MediaType.APPLICATION_JSON_TYPE);
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    AuthenticationEngine engine = engines.get(configuration);
    Decision upstream =
        request.getProperty(RequestAttributes.DECISION) instanceof Decision d ? d : null;
    Decision own = request.getProperty(ApiKeyRequestFilter.DECISION) instanceof Decision d ? d : null;
    if (own == null && upstream == null && response.getStatus() < 300) {
      // A success our request filter never saw: the runtime answered by itself (RESTEasy's automatic
      // OPTIONS, say). Every request needs a key, so decide it now, and refuse it if it has none.
      own = engine.decide(new JaxrsAuthRequest(request), ResourceAccess.authenticated());
      if (!own.allowed()) {
        response.setEntity(null);
        response.getHeaders().clear();
        write(response, engine.response(own));
        return;
      }
    }
    String requestId =
        own != null ? own.requestId() : upstream != null ? upstream.requestId() : RequestIds.next();
    if (response.getEntity() instanceof PendingAuthError pending) {
      write(response, engine.errorResponse(new Decision.Denied(requestId, pending.error(), pending.reason())));
    }
    if (upstream == null) {
      // The servlet filter, when it ran, already set these headers on the servlet response.
      if (own != null && own.allowed()) {
        engine.successHeaders(own).forEach(response.getHeaders()::putSingle);
      } else {
        response.getHeaders().putSingle(NimbusHeaders.REQUEST_ID, requestId);
      }
    }
  }
}
