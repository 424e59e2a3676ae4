package com.nimbusos.auth.api.engine;

/**
 * Request attributes (servlet) and properties (JAX-RS) through which adapters hand their decision on, so
 * that a JAX-RS filter behind the servlet filter reuses its verdict instead of validating the key twice.
 */
public final class RequestAttributes {

  /** The {@link Decision} taken for the request. */
  public static final String DECISION = "com.nimbusos.auth.decision";
  /**
   * The connection's peer address, for adapters whose API does not expose it (JAX-RS); set by the JAX-RS
   * module's servlet request listener.
   */
  public static final String REMOTE_ADDRESS = "com.nimbusos.auth.remote-address";

  private RequestAttributes() {}
}
