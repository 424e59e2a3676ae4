package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.AuthMetricsResolver;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the {@link AuthenticationEngine} of an adapter: the one way the servlet filter, the
 * Jakarta Security mechanism, the filter's start-up check and the JAX-RS feature all assemble it,
 * so that they read the same configuration and find the same validator, audit sink and metrics.
 *
 * <p>The configuration is the one given, else read from the adapter's {@linkplain #sources
 * sources}; then the validator ({@link ValidatorResolver}), the audit sink ({@link AuditSinks}) and
 * the metrics ({@link AuthMetricsResolver}) are each the one given, else found, in that order. When
 * a later part fails, what the earlier ones created is closed again before the failure is thrown.
 * It knows no container: the adapter says where its settings, its class loader and its name come
 * from.
 */
public final class EngineFactory {

  /**
   * An engine and the parts it was built from, as an adapter keeps them until it stops.
   *
   * @param engine decides every request
   * @param validator the validator and where it came from (a stand-in when none was found)
   * @param validatorFound whether a validator was given or found, not stood in for
   * @param audit the audit sink and where it goes
   */
  public record Assembled(
      AuthenticationEngine engine,
      ValidatorResolver.Resolved validator,
      boolean validatorFound,
      AuditSinks.Resolved audit) {

    /**
     * What the start-up line says: where the validator came from, where the audit trail goes, the
     * metrics, the configuration.
     */
    public String describe() {
      return "validator from "
          + validator.source()
          + ", audit to "
          + audit.source()
          + ", metrics to "
          + engine.metrics().describe()
          + ", "
          + engine.config();
    }

    /** Closes the validator and the audit sink, each if it was created here. */
    public void close() {
      validator.closeIfOwned();
      audit.closeIfOwned();
    }
  }

  private final ClassLoader loader;
  private NimbusAuthConfig config;
  private List<PropertySource> sources = List.of();
  private KeyValidator validator;
  private Function<ValidatorResolver.NotFound, KeyValidator> withoutValidator =
      notFound -> {
        throw notFound;
      };
  private AuditSink auditSink;
  private AuthMetrics metrics;
  private Supplier<String> application = () -> null;
  private Clock clock = Clock.systemUTC();

  private EngineFactory(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * A factory for the application of {@code loader}.
   *
   * @param loader the application's class loader, where validators, sinks, beans and services are
   *     looked for
   */
  public static EngineFactory forApplication(ClassLoader loader) {
    return new EngineFactory(loader);
  }

  /** The configuration given in code, or {@code null} to read it from the {@link #sources}. */
  public EngineFactory config(NimbusAuthConfig given) {
    this.config = given;
    return this;
  }

  /** Where the configuration is read from, first wins, when none is given. */
  public EngineFactory sources(List<PropertySource> from) {
    this.sources = List.copyOf(from);
    return this;
  }

  /** The validator given in code, or {@code null} to find one. */
  public EngineFactory validator(KeyValidator given) {
    this.validator = given;
    return this;
  }

  /**
   * What to validate with when no source provides a validator at all: the stand-in {@code standIn}
   * answers (one that refuses every key), or it throws the {@link ValidatorResolver.NotFound} it is
   * given. Without it, that is an error. A broken or ambiguous source is an error whatever this
   * says.
   */
  public EngineFactory withoutValidator(
      Function<ValidatorResolver.NotFound, KeyValidator> standIn) {
    this.withoutValidator = Objects.requireNonNull(standIn, "standIn");
    return this;
  }

  /**
   * An audit sink used as it is, instead of the one {@link AuditSinks} would find: not closed, and
   * not fired to CDI observers (it may forward to a sink that already is).
   */
  public EngineFactory auditSink(AuditSink given) {
    this.auditSink = given;
    return this;
  }

  /** The metrics given in code, or {@code null} to find them. */
  public EngineFactory metrics(AuthMetrics given) {
    this.metrics = given;
    return this;
  }

  /**
   * The application's name where the adapter knows it (a servlet context path), asked for when the
   * audit sink is found: it names the default file trail, so that two applications in one server
   * write two trails.
   */
  public EngineFactory application(Supplier<String> name) {
    this.application = Objects.requireNonNull(name, "name");
    return this;
  }

  /** The clock that decides expiry and stamps audit events; the system's UTC clock by default. */
  public EngineFactory clock(Clock given) {
    this.clock = Objects.requireNonNull(given, "clock");
    return this;
  }

  /**
   * Builds the engine.
   *
   * @throws ConfigurationException naming the property when the configuration is invalid, a source
   *     is broken or ambiguous, or no validator is found and {@link #withoutValidator} does not
   *     stand in
   */
  public Assembled build() {
    NimbusAuthConfig applied = config != null ? config : NimbusAuthConfig.load(sources);
    ValidatorResolver.Resolved resolved;
    boolean found;
    try {
      resolved = ValidatorResolver.resolve(validator, applied, loader);
      found = true;
    } catch (ValidatorResolver.NotFound e) {
      // Only "nothing provides one" may be stood in for; a broken source stays an error.
      resolved = new ValidatorResolver.Resolved(withoutValidator.apply(e), "nothing", false);
      found = false;
    }
    AuditSinks.Resolved audit = null;
    try {
      audit =
          auditSink != null
              ? new AuditSinks.Resolved(
                  auditSink, "instance of " + auditSink.getClass().getName(), false)
              : AuditSinks.open(null, applied, loader, application.get());
      AuthenticationEngine engine =
          new AuthenticationEngine(
              resolved.validator(),
              applied,
              audit.sink(),
              AuthMetricsResolver.resolve(metrics, applied, loader),
              clock);
      return new Assembled(engine, resolved, found, audit);
    } catch (RuntimeException e) {
      resolved.closeIfOwned();
      if (audit != null) {
        audit.closeIfOwned();
      }
      throw e;
    }
  }
}
