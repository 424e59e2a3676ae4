package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Lets application code {@code @Inject ApiKeyPrincipal} for the current request (when the
 * application has CDI). {@code @Dependent}, because a record cannot be proxied: inject it into
 * request-scoped beans and JAX-RS resources, or use {@code Instance<ApiKeyPrincipal>} elsewhere.
 * {@code null} on public paths.
 */
@ApplicationScoped
public class ApiKeyPrincipalProducer {

  @Inject HttpServletRequest request;

  /** The current request's caller, or {@code null} when none was authenticated. */
  @Produces
  @Dependent
  public ApiKeyPrincipal currentCaller() {
    return RequestAttributes.principal(request::getAttribute).orElse(null);
  }
}
