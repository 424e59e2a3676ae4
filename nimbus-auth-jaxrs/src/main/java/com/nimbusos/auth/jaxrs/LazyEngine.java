package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.LoggingAuditSink;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.MicroProfileConfigSource;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.EngineFactory;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import com.nimbusos.auth.api.internal.StartupLine;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import jakarta.ws.rs.core.Configuration;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JAX-RS adapter's one engine, built through {@link EngineFactory} once, from the runtime's
 * configuration: at deployment where the runtime shows the application's properties then, else at
 * the first request. A configuration that cannot be built there leaves an engine that refuses every
 * request (fail closed) and says why in the log.
 */
final class LazyEngine {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final KeyValidator explicitValidator;
  private final NimbusAuthConfig explicitConfig;
  private final ClassLoader loader;
  private volatile AuthenticationEngine engine;

  LazyEngine(KeyValidator explicitValidator, NimbusAuthConfig explicitConfig, ClassLoader loader) {
    this.explicitValidator = explicitValidator;
    this.explicitConfig = explicitConfig;
    this.loader = loader;
  }

  /**
   * Builds the engine now.
   *
   * @throws ConfigurationException when the configuration is invalid, to fail the deployment
   */
  synchronized void initialize(Configuration configuration) {
    if (engine == null) {
      engine = build(configuration);
    }
  }

  /** The engine, built from {@code configuration} on first use. */
  AuthenticationEngine get(Configuration configuration) {
    AuthenticationEngine current = engine;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (engine == null) {
        try {
          engine = build(configuration);
        } catch (ConfigurationException e) {
          LOG.log(
              Level.ERROR,
              "Nimbus Auth JAX-RS feature cannot start: "
                  + e.getMessage()
                  + "; every request is refused with 503 until the configuration is fixed");
          engine = refusingEverything(e.getMessage());
        }
      }
      return engine;
    }
  }

  private AuthenticationEngine build(Configuration configuration) {
    List<PropertySource> sources = explicitConfig != null ? List.of() : sources(configuration);
    if (explicitConfig == null && explicitValidator == null && !mentionsNimbus(sources)) {
      return behindTheServletFilter();
    }
    EngineFactory.Assembled assembled =
        EngineFactory.forApplication(loader)
            .config(explicitConfig)
            .sources(sources)
            .validator(explicitValidator)
            .withoutValidator(LazyEngine::reliesOnTheServletFilter)
            .application(() -> ReleaseOnUndeploy.contextPath(loader))
            .build();
    ReleaseOnUndeploy.register(loader, assembled.validator());
    ReleaseOnUndeploy.register(loader, assembled.audit());
    if (assembled.validatorFound()) {
      // As the servlet filter words it, so that the same configuration read by both is logged once.
      StartupLine.announce("JAX-RS feature", assembled.describe());
    }
    return assembled.engine();
  }

  /**
   * Whether a setting configures a deciding engine for the feature. The audit trail's settings and
   * the pepper do not: they are the application's, often given as system properties that the filter
   * reads as well, and must not pull a feature that relies on the filter out of that mode (it would
   * then lack an environment).
   */
  private static boolean mentionsNimbus(List<PropertySource> sources) {
    for (PropertySource source : sources) {
      for (String name : source.names()) {
        if (name.startsWith(NimbusAuthConfig.PREFIX)
            && !name.startsWith(NimbusAuthConfig.PREFIX + "audit.")
            && !name.equals(NimbusAuthConfig.PEPPER)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * No {@code nimbus.auth.*} setting anywhere the feature looks: the application configured Nimbus
   * Auth for its servlet filter or Jakarta Security mechanism only (init-params, context-params),
   * and the feature enforces the resources' annotations on their verdicts. It validates no key
   * itself, so no environment needs choosing here: a request that no servlet adapter decided is
   * refused with 503.
   */
  private AuthenticationEngine behindTheServletFilter() {
    LOG.log(
        Level.INFO,
        "Nimbus Auth JAX-RS feature has no nimbus.auth.* settings of its own: it enforces "
            + "@RolesAllowed, @PermitAll and @DenyAll on the verdicts of the Nimbus servlet filter or mechanism, and "
            + "refuses every request those did not decide (401 without a key, 503 with one)");
    // HTTPS was the servlet adapter's to check; undecided requests are refused whatever their
    // scheme.
    NimbusAuthConfig config =
        NimbusAuthConfig.builder().anyEnvironment().requireHttps(false).build();
    // The servlet adapter's own sink: a refusal decided here belongs in the same trail.
    return EngineFactory.forApplication(loader)
        .config(config)
        .validator(new Undecided())
        .auditSink(new ServletAdapterAuditSink(loader))
        .metrics(AuthMetrics.NONE)
        .build()
        .engine();
  }

  /**
   * The feature's validator when nothing provides one: the servlet filter in front decides, and a
   * request it did not decide is refused with 503. Only "nothing provides one" may mean that; a
   * broken or ambiguous source is an error like any other.
   */
  private static KeyValidator reliesOnTheServletFilter(ValidatorResolver.NotFound notFound) {
    LOG.log(
        Level.WARNING,
        "Nimbus Auth JAX-RS feature has no KeyValidator of its own ("
            + notFound.getMessage()
            + "); it relies on "
            + "the Nimbus servlet filter, and refuses with 503 every request that filter did not decide");
    return new Undecided();
  }

  /**
   * The validator where the feature has none of its own: a key that reaches it is one that no
   * servlet adapter decided.
   */
  private static final class Undecided implements KeyValidator {
    @Override
    public ValidationResult validate(PresentedKey key) throws KeyValidationException {
      throw new KeyValidationException(
          "no KeyValidator configured for JAX-RS and no servlet filter decision");
    }
  }

  private List<PropertySource> sources(Configuration configuration) {
    List<PropertySource> sources = new ArrayList<>();
    sources.add(
        PropertySource.of(configuration == null ? Map.of() : configuration.getProperties()));
    MicroProfileConfigSource.of(loader).ifPresent(sources::add);
    sources.add(PropertySource.systemProperties());
    return sources;
  }

  private AuthenticationEngine refusingEverything(String why) {
    KeyValidator refuse =
        key -> {
          throw new KeyValidationException("Nimbus Auth is misconfigured: " + why);
        };
    // No key gets past the validator, so which environment's keys would be accepted does not
    // matter.
    NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().build();
    return EngineFactory.forApplication(loader)
        .config(config)
        .validator(refuse)
        .auditSink(new LoggingAuditSink())
        .metrics(AuthMetrics.NONE)
        .build()
        .engine();
  }
}
