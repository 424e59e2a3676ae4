package com.nimbusos.auth.api.metrics;

import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.NimbusAuthConfig.MetricsKind;
import com.nimbusos.auth.api.internal.CdiBeans;
import com.nimbusos.auth.api.internal.ProviderDiscovery;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds where metrics go, first match wins: an explicit instance; nothing if {@code
 * nimbus.auth.metrics=none}; the one CDI bean implementing {@link AuthMetrics}; then, as {@code
 * nimbus.auth.metrics} says ({@code auto} tries both in this order), a Micrometer {@code
 * MeterRegistry} CDI bean (else Micrometer's global registry, under {@code auto} only when
 * something was added to it) or MicroProfile Metrics' application {@code MetricRegistry}; else
 * nothing. Neither library is needed: each is looked for by name.
 */
public final class AuthMetricsResolver {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
  private static final String METRIC_REGISTRY = "org.eclipse.microprofile.metrics.MetricRegistry";
  private static final String REGISTRY_TYPE =
      "org.eclipse.microprofile.metrics.annotation.RegistryType";

  private AuthMetricsResolver() {}

  /**
   * Resolves the metrics.
   *
   * @param explicit metrics given by code, or {@code null}
   * @param config says which library, if any
   * @param loader the application's class loader, which sees the libraries it has
   * @return where decisions and validation times go; {@link AuthMetrics#NONE} when nowhere
   * @throws ConfigurationException naming {@code nimbus.auth.metrics} when the library it names is
   *     absent, or its registry refuses Nimbus Auth's meters
   */
  public static AuthMetrics resolve(
      AuthMetrics explicit, NimbusAuthConfig config, ClassLoader loader) {
    MetricsKind kind = config.metrics();
    Optional<ProviderDiscovery.Found<AuthMetrics>> discovered =
        ProviderDiscovery.of(AuthMetrics.class, NimbusAuthConfig.METRICS, loader)
            // "none" is a choice, made before any bean is looked at.
            .configured(
                () ->
                    kind == MetricsKind.NONE
                        ? Optional.of(
                            new ProviderDiscovery.Found<>(AuthMetrics.NONE, "none", false))
                        : Optional.empty())
            // Metrics are named by nimbus.auth.metrics or given as a bean, never as a service.
            .withoutServices()
            .find(explicit);
    if (discovered.isPresent()) {
      return discovered
          .get()
          .provider(); // describe() runs on a bean itself, not on its client proxy
    }
    return switch (kind) {
      case MICROMETER -> registering(() -> micrometer(loader, true));
      case MICROPROFILE -> registering(() -> microProfile(loader, true));
      default -> {
        AuthMetrics found = automatically("Micrometer", () -> micrometer(loader, false));
        if (found == null) {
          found = automatically("MicroProfile Metrics", () -> microProfile(loader, false));
        }
        yield found != null ? found : AuthMetrics.NONE;
      }
    };
  }

  /** Metrics the configuration asked for: any failure fails the start, naming the property. */
  private static AuthMetrics registering(Supplier<AuthMetrics> backend) {
    try {
      return backend.get();
    } catch (ConfigurationException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new ConfigurationException(
          NimbusAuthConfig.METRICS, "cannot register Nimbus Auth's metrics: " + e, e);
    }
  }

  /**
   * Metrics nobody asked for: a registry that refuses ours is logged and skipped, not a failed
   * deployment.
   */
  private static AuthMetrics automatically(String library, Supplier<AuthMetrics> backend) {
    try {
      return backend.get();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth reports no metrics to "
              + library
              + ", which refused them (set "
              + NimbusAuthConfig.METRICS
              + " to choose): "
              + e);
      return null;
    }
  }

  private static AuthMetrics micrometer(ClassLoader loader, boolean required) {
    Class<?> type = load(METER_REGISTRY, loader);
    if (type == null) {
      return absent(
          required, "Micrometer (" + METER_REGISTRY + ") is not visible to the application");
    }
    CdiBeans.Lookup<?> bean = CdiBeans.lookup(type, loader);
    if (bean instanceof CdiBeans.Found<?> found) {
      return MicrometerAuthMetrics.of(found.bean(), "CDI MeterRegistry bean");
    }
    if (bean instanceof CdiBeans.Ambiguous<?>) {
      return ambiguous(required, "several CDI beans are a MeterRegistry");
    }
    return required || MicrometerAuthMetrics.globalHasRegistries()
        ? MicrometerAuthMetrics.global()
        : null;
  }

  private static AuthMetrics microProfile(ClassLoader loader, boolean required) {
    Class<?> type = load(METRIC_REGISTRY, loader);
    if (type == null) {
      return absent(
          required,
          "MicroProfile Metrics (" + METRIC_REGISTRY + ") is not visible to the application");
    }
    // Both Payara's and SmallRye's @Default (and @RegistryScope) producers read the injection
    // point's
    // annotations, which a programmatic lookup does not have (NullPointerException): ask for the
    // application
    // registry by the qualifier whose producer needs none, @RegistryType (deprecated in MP Metrics
    // 5.1, still
    // served by both); then @Default, for implementations that cope.
    Annotation application = applicationRegistryType(loader);
    CdiBeans.Lookup<?> bean =
        application == null ? new CdiBeans.None<>() : CdiBeans.lookup(type, loader, application);
    if (!(bean instanceof CdiBeans.Found<?>)) {
      bean = CdiBeans.lookup(type, loader);
    }
    if (bean instanceof CdiBeans.Found<?> found) {
      return MicroProfileAuthMetrics.of(found.bean());
    }
    if (bean instanceof CdiBeans.Ambiguous<?>) {
      return ambiguous(required, "several CDI beans are a MetricRegistry");
    }
    return absent(required, "no CDI bean is a MicroProfile Metrics MetricRegistry");
  }

  private static AuthMetrics absent(boolean required, String why) {
    if (required) {
      throw new ConfigurationException(NimbusAuthConfig.METRICS, why);
    }
    return null;
  }

  private static AuthMetrics ambiguous(boolean required, String why) {
    if (required) {
      throw new ConfigurationException(
          NimbusAuthConfig.METRICS, why + "; provide an AuthMetrics bean instead");
    }
    LOG.log(
        Level.WARNING,
        "Nimbus Auth reports no metrics there: "
            + why
            + "; set "
            + NimbusAuthConfig.METRICS
            + " or provide an AuthMetrics bean");
    return null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Annotation applicationRegistryType(ClassLoader loader) {
    Class<?> qualifier = load(REGISTRY_TYPE, loader);
    Class<?> types = load(METRIC_REGISTRY + "$Type", loader);
    if (qualifier == null || types == null || !qualifier.isAnnotation()) {
      return null;
    }
    return CdiBeans.annotation(
        (Class<? extends Annotation>) qualifier,
        Map.of("type", Enum.valueOf((Class) types, "APPLICATION")));
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
