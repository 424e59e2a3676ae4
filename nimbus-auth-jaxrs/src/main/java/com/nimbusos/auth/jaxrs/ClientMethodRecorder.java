package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Notes the method the client sent before the runtime routes the request: Jersey serves a {@code
 * HEAD} with a {@code GET} resource method and from then on reports {@code GET}, and the audit
 * trail must say {@code HEAD}. In a servlet container {@link ClientAddressListener} has noted it
 * already, before any filter of the application could rewrite it (a method-override filter), and
 * that note stands.
 */
@PreMatching
@Priority(0)
final class ClientMethodRecorder implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getProperty(RequestAttributes.CLIENT_METHOD) instanceof String)) {
      request.setProperty(RequestAttributes.CLIENT_METHOD, request.getMethod());
    }
  }
}
