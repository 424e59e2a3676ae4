package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Enables Nimbus Auth in a JAX-RS application: the {@code X-API-Key} request filter, our own
 * enforcement of {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} (roles are scopes),
 * {@code X-Request-Id} on every response, and exception mappers that answer {@link
 * jakarta.ws.rs.NotAuthorizedException} and {@link jakarta.ws.rs.ForbiddenException} with the
 * documented JSON (and, where the EJB API is present, an EJB's {@code
 * jakarta.ejb.EJBAccessException} with the documented 403).
 *
 * <p>Discovered automatically as a {@code @Provider}; register it explicitly ({@code register(new
 * NimbusAuthFeature(validator))}) to pass a validator or configuration in code. Properties are read
 * from the JAX-RS configuration, MicroProfile Config (when present), then system properties.
 *
 * <p>Where the runtime shows the application's properties when features are configured (Jersey), a
 * bad configuration fails the deployment; where it shows them only to requests (RESTEasy), the
 * first request builds the configuration, and a bad one is logged and refuses every request with
 * 503.
 *
 * <p>When the Nimbus servlet filter runs in front, its verdict is reused and the key is not
 * validated twice. With no validator configured here, the feature relies on that filter: requests
 * it did not decide fail closed with {@code 503}, and a warning says so at start.
 */
@Provider
public final class NimbusAuthFeature implements Feature {

  private final KeyValidator explicitValidator;
  private final NimbusAuthConfig explicitConfig;

  /** A feature configured from JAX-RS properties and system properties. */
  public NimbusAuthFeature() {
    this(null, null);
  }

  /** A feature with a validator given in code and configuration from properties. */
  public NimbusAuthFeature(KeyValidator validator) {
    this(validator, null);
  }

  /**
   * A feature with a validator and configuration given in code.
   *
   * @param validator the validator, or {@code null} to resolve one from configuration
   * @param config the configuration, or {@code null} to read it from properties
   */
  public NimbusAuthFeature(KeyValidator validator, NimbusAuthConfig config) {
    this.explicitValidator = validator;
    this.explicitConfig = config;
  }

  @Override
  public boolean configure(FeatureContext context) {
    if (context.getConfiguration().isRegistered(ApiKeyRequestFilter.class)) {
      return false;
    }
    LazyEngine engine =
        new LazyEngine(
            explicitValidator, explicitConfig, Thread.currentThread().getContextClassLoader());
    Configuration visible = context.getConfiguration();
    if (explicitConfig != null
        || visible.getPropertyNames().stream()
            .anyMatch(n -> n.startsWith(NimbusAuthConfig.PREFIX))) {
      // The application's properties are visible now (Jersey): a bad configuration fails the
      // deployment.
      engine.initialize(visible);
    }
    // Otherwise (RESTEasy shows Application.getProperties() only at request time) the first request
    // builds it.
    context.register(new ClientMethodRecorder());
    context.register(new ApiKeyRequestFilter(engine));
    context.register(new ResponseFinisher(engine));
    for (AuthErrorMapper<?> mapper : exceptionMappers(NimbusAuthFeature.class.getClassLoader())) {
      context.register(mapper);
    }
    return true;
  }

  /**
   * The exception mappers to register where {@code loader} loads this library: the EJB one only
   * with the EJB API.
   */
  static java.util.List<AuthErrorMapper<?>> exceptionMappers(ClassLoader loader) {
    java.util.List<AuthErrorMapper<?>> mappers =
        new java.util.ArrayList<>(
            java.util.List.of(
                new AuthErrorMapper.NotAuthorized(),
                new AuthErrorMapper.Forbidden(),
                new AuthErrorMapper.ApiKeyFailure()));
    if (AuthErrorMapper.EjbAccessDenied.available(loader)) {
      mappers.add(new AuthErrorMapper.EjbAccessDenied());
    }
    return mappers;
  }
}
