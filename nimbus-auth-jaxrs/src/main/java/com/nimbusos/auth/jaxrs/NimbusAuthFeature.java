package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.MicroProfileConfigSource;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Enables Nimbus Auth in a JAX-RS application: the {@code X-API-Key} request filter, our own enforcement
 * of {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} (roles are scopes), {@code X-Request-Id}
 * on every response, and exception mappers that answer {@link jakarta.ws.rs.NotAuthorizedException} and
 * {@link jakarta.ws.rs.ForbiddenException} with the documented JSON.
 *
 * <p>Discovered automatically as a {@code @Provider}; register it explicitly ({@code
 * register(new NimbusAuthFeature(validator))}) to pass a validator or configuration in code. Properties are
 * read from the JAX-RS configuration, MicroProfile Config (when present), then system properties.
 *
 * <p>When the Nimbus servlet filter runs in front, its verdict is reused and the key is not validated
 * twice. With no validator configured here, the feature relies on that filter: requests it did not decide
 * fail closed with {@code 503}, and a warning says so at start.
 */
@Provider
public final class NimbusAuthFeature implements Feature {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

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
    NimbusAuthConfig config =
        explicitConfig != null ? explicitConfig : NimbusAuthConfig.load(sources(context.getConfiguration()));
    AuthenticationEngine engine =
        new AuthenticationEngine(
            validator(config),
            config,
            AuditSinks.resolve(null, config, Thread.currentThread().getContextClassLoader()),
            Clock.systemUTC());
    context.register(new ApiKeyRequestFilter(engine));
    context.register(new ResponseFinisher(engine));
    context.register(new AuthErrorMapper.NotAuthorized());
    context.register(new AuthErrorMapper.Forbidden());
    context.register(new AuthErrorMapper.ApiKeyFailure());
    return true;
  }

  private KeyValidator validator(NimbusAuthConfig config) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      ValidatorResolver.Resolved resolved = ValidatorResolver.resolve(explicitValidator, config, loader);
      LOG.log(Level.INFO, "Nimbus Auth JAX-RS feature active: validator from " + resolved.source() + ", " + config);
      return resolved.validator();
    } catch (ConfigurationException e) {
      if (e.getCause() != null || config.validatorClass().isPresent() || config.keysFile().isPresent()) {
        throw e;
      }
      LOG.log(
          Level.WARNING,
          "Nimbus Auth JAX-RS feature has no KeyValidator of its own (" + e.getMessage() + "); it relies on "
              + "the Nimbus servlet filter, and refuses with 503 every request that filter did not decide");
      return key -> {
        throw new KeyValidationException("no KeyValidator configured for JAX-RS and no servlet filter decision");
      };
    }
  }

  private static List<PropertySource> sources(Configuration configuration) {
    Map<String, Object> properties =
        configuration.getProperties().entrySet().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    List<PropertySource> sources = new ArrayList<>();
    sources.add(PropertySource.of(properties));
    MicroProfileConfigSource.of(Thread.currentThread().getContextClassLoader()).ifPresent(sources::add);
    sources.add(PropertySource.systemProperties());
    return sources;
  }
}
