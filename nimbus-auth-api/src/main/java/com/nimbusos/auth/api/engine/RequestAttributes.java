package com.nimbusos.auth.api.engine;

/**
 * Request attributes (servlet) and properties (JAX-RS) through which adapters hand their decision on, so
 * that a JAX-RS filter behind the servlet filter reuses its verdict instead of validating the key twice.
 */
public final class RequestAttributes {

  /** The {@link Decision} taken for the request. */
  public static final String DECISION = "com.nimbusos.auth.decision";

  private RequestAttributes() {}
}
