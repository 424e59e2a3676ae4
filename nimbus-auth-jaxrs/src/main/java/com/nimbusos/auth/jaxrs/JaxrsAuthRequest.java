package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthRequest;
import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;

/** A JAX-RS request as the engine sees it; the path is relative to the application's base. */
final class JaxrsAuthRequest implements AuthRequest {

  private final ContainerRequestContext request;

  /** The path, once asked: the engine asks for it several times per decision. */
  private String path;

  JaxrsAuthRequest(ContainerRequestContext request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  /**
   * {@code HEAD} where the client sent one and the runtime reports the {@code GET} it routed it to
   * (Jersey); otherwise the routed method, the one the decision applied to: a method an
   * application's override filter set (e.g. {@code X-HTTP-Method-Override}) is the method served,
   * so it is the one audited.
   */
  @Override
  public String clientMethod() {
    String routed = request.getMethod();
    return "GET".equals(routed)
            && "HEAD".equals(request.getProperty(RequestAttributes.CLIENT_METHOD))
        ? "HEAD"
        : routed;
  }

  /** The decoded path relative to the application's base, as JAX-RS matches resources. */
  @Override
  public String path() {
    String known = path;
    if (known == null) {
      String relative = request.getUriInfo().getPath(true);
      known = relative.startsWith("/") ? relative : "/" + relative;
      path = known;
    }
    return known;
  }

  /** The request URI's raw path, as the runtime received it (it includes the base path). */
  @Override
  public String rawPath() {
    return request.getUriInfo().getRequestUri().getRawPath();
  }

  /** The base URI's decoded path, without its trailing {@code /}. */
  @Override
  public String basePath() {
    String base = request.getUriInfo().getBaseUri().getPath();
    return base == null ? "" : base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  @Override
  public List<String> headerValues(String name) {
    List<String> values = request.getHeaders().get(name);
    return values == null ? List.of() : values;
  }

  /**
   * The address {@link ClientAddressListener} recorded, where the runtime runs on a servlet
   * container.
   */
  @Override
  public String remoteAddress() {
    return request.getProperty(RequestAttributes.REMOTE_ADDRESS) instanceof String address
        ? address
        : null;
  }

  @Override
  public boolean isSecure() {
    return request.getSecurityContext() != null && request.getSecurityContext().isSecure();
  }
}
