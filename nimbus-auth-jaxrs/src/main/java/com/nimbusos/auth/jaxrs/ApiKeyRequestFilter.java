package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestTrail;
import com.nimbusos.auth.api.engine.ResourceAccess;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Authenticates each request to a matched resource and enforces its {@code @RolesAllowed},
 * {@code @PermitAll} and {@code @DenyAll}, the same way on every JAX-RS runtime. Installs a {@link
 * jakarta.ws.rs.core.SecurityContext} whose principal is the key's {@link
 * com.nimbusos.auth.api.ApiKeyPrincipal}. Reuses the servlet filter's verdict when that filter ran
 * first, but only for the very request target that filter decided ({@link
 * AuthenticationEngine#confirm}): a runtime routing on another path or method than the container's
 * gets {@code 400}, never the other verdict.
 */
@Priority(Priorities.AUTHENTICATION)
final class ApiKeyRequestFilter implements ContainerRequestFilter {

  /** This filter's verdict, for {@link ResponseFinisher} and the CDI producer. */
  static final String DECISION = RequestAttributes.JAXRS_DECISION;

  private final LazyEngine lazyEngine;
  private final ConcurrentMap<Method, ResourceAccess> accessByMethod = new ConcurrentHashMap<>();

  @Context private ResourceInfo resourceInfo;
  @Context private Configuration configuration;

  ApiKeyRequestFilter(LazyEngine lazyEngine) {
    this.lazyEngine = lazyEngine;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    AuthenticationEngine engine = lazyEngine.get(configuration);
    ResourceAccess access = access(request);
    JaxrsAuthRequest authRequest = new JaxrsAuthRequest(request);
    Decision decision;
    if (request.getProperty(RequestAttributes.TRAIL) instanceof RequestTrail upstream) {
      decision = engine.confirm(upstream, upstreamTarget(request), access, authRequest);
    } else {
      decision = engine.decideAndRecord(authRequest, access);
      request.setProperty(RequestAttributes.JAXRS_TRAIL, engine.trail(decision, null));
    }
    request.setProperty(DECISION, decision);
    if (!decision.allowed()) {
      request.abortWith(JaxrsResponses.of(engine.response(decision)));
      return;
    }
    boolean secure =
        request.getSecurityContext() != null && request.getSecurityContext().isSecure();
    request.setSecurityContext(
        new ApiKeySecurityContext(decision.principal().orElse(null), secure));
  }

  private static String upstreamTarget(ContainerRequestContext request) {
    return request.getProperty(RequestAttributes.DECIDED_TARGET) instanceof String target
        ? target
        : null;
  }

  /**
   * The access the matched resource method declares. Jersey's {@code UriInfo} is itself the
   * request's {@link ResourceInfo}: asking it directly spares the injected proxy, whose per-call
   * lookup costs about a microsecond; other runtimes (RESTEasy) go through the injected one.
   */
  private ResourceAccess access(ContainerRequestContext request) {
    ResourceInfo info = request.getUriInfo() instanceof ResourceInfo direct ? direct : resourceInfo;
    Method method = info == null ? null : info.getResourceMethod();
    if (method == null) {
      return ResourceAccess.authenticated();
    }
    ResourceAccess access = accessByMethod.get(method);
    return access != null
        ? access
        : accessByMethod.computeIfAbsent(
            method, m -> Annotations.accessOf(m, info.getResourceClass()));
  }
}
