package com.nimbusos.auth.api.engine;

/**
 * Request attributes (servlet) and properties (JAX-RS) through which adapters hand their decision
 * on, so that a JAX-RS filter behind the servlet filter reuses its verdict instead of validating
 * the key twice.
 */
public final class RequestAttributes {

  /** The {@link Decision} taken for the request. */
  public static final String DECISION = "com.nimbusos.auth.decision";

  /**
   * The {@linkplain AuthenticationEngine#target(AuthRequest) target} {@link #DECISION} was taken
   * on: a later adapter trusts that decision only for the same target.
   */
  public static final String DECIDED_TARGET = "com.nimbusos.auth.decided-target";

  /**
   * The connection's peer address, for adapters whose API does not expose it (JAX-RS); set by the
   * JAX-RS module's servlet request listener.
   */
  public static final String REMOTE_ADDRESS = "com.nimbusos.auth.remote-address";

  /**
   * The method exactly as the client sent it, for adapters whose runtime shows the routed method
   * instead (Jersey serves a {@code HEAD} with a {@code GET} resource method and reports {@code
   * GET}); set by the JAX-RS module's servlet request listener or, outside a servlet container, its
   * pre-matching filter.
   */
  public static final String CLIENT_METHOD = "com.nimbusos.auth.client-method";

  /** The {@link RequestTrail} of the adapter that decided the request first (a servlet adapter). */
  public static final String TRAIL = "com.nimbusos.auth.trail";

  /**
   * The {@link RequestTrail} the JAX-RS filter started, when no servlet adapter decided the
   * request.
   */
  public static final String JAXRS_TRAIL = "com.nimbusos.auth.jaxrs.trail";

  /** The JAX-RS filter's own {@link Decision}, after the resource's annotations were applied. */
  public static final String JAXRS_DECISION = "com.nimbusos.auth.jaxrs.decision";

  private RequestAttributes() {}

  /**
   * The caller of the current request, from its attributes, whichever adapter decided: the JAX-RS
   * verdict first (it is the later and more specific one), then the servlet filter's.
   */
  public static java.util.Optional<com.nimbusos.auth.api.ApiKeyPrincipal> principal(
      java.util.function.Function<String, Object> attributes) {
    for (String name : new String[] {JAXRS_DECISION, DECISION}) {
      if (attributes.apply(name) instanceof Decision decision && decision.allowed()) {
        return decision.principal();
      }
    }
    return java.util.Optional.empty();
  }
}
