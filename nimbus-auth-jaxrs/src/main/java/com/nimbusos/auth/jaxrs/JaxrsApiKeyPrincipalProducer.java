package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Lets application code {@code @Inject ApiKeyPrincipal} for the current request, as the servlet
 * module's producer does. An enabled alternative, so that with both jars in the application this
 * one is chosen and injection stays unambiguous; it reads either adapter's verdict.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class JaxrsApiKeyPrincipalProducer {

  @Inject HttpServletRequest request;

  /** The current request's caller, or {@code null} when none was authenticated. */
  @Produces
  @Dependent
  public ApiKeyPrincipal currentCaller() {
    return RequestAttributes.principal(request::getAttribute).orElse(null);
  }
}
