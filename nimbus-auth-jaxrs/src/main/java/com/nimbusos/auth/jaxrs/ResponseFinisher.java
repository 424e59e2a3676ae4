package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.NimbusHeaders;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestIds;
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

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    AuthenticationEngine engine = engines.get(configuration);
    Decision upstream =
        request.getProperty(RequestAttributes.DECISION) instanceof Decision d ? d : null;
    Decision own = request.getProperty(ApiKeyRequestFilter.DECISION) instanceof Decision d ? d : null;
    String requestId =
        own != null ? own.requestId() : upstream != null ? upstream.requestId() : RequestIds.next();
    if (response.getEntity() instanceof PendingAuthError pending) {
      var rendered = engine.errorResponse(new Decision.Denied(requestId, pending.error(), pending.reason()));
      response.setStatus(rendered.status());
      for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
        response.getHeaders().putSingle(header.getKey(), header.getValue());
      }
      response.setEntity(
          JaxrsResponses.json(rendered.body()), response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
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
