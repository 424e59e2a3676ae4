package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.NimbusAuthConfig.MetricsKind;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.AuthMetricsResolver;
import com.nimbusos.auth.api.metrics.DecisionReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.metrics.MetricRegistryProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * Decisions are counted by outcome and reason, and validations timed by result, in whichever
 * metrics library the application has: a Micrometer {@code MeterRegistry} bean (WildFly),
 * MicroProfile Metrics' registry (Payara; SmallRye's real producer here), or an {@link AuthMetrics}
 * bean of its own; all found through CDI (Weld) with no configuration.
 */
class EngineMetricsTest {

  private static final String GOOD = "sk_test_good0000000000000000000000";
  private static final String UNKNOWN = "sk_test_unknown000000000000000000";
  private static final String BROKEN = "sk_test_broken0000000000000000000";

  private final ClassLoader loader = getClass().getClassLoader();
  private final ApiKeyPrincipal principal =
      new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of("orders:read"), null);
  private final KeyValidator validator =
      key ->
          switch (key.value()) {
            case GOOD -> ValidationResult.valid(principal);
            case BROKEN -> throw new KeyValidationException("store down");
            default -> ValidationResult.invalid(InvalidReason.UNKNOWN);
          };
  private final NimbusAuthConfig config =
      NimbusAuthConfig.builder().anyEnvironment().publicPaths("/health").build();

  /** The application's Micrometer registry, as WildFly's micrometer subsystem offers one. */
  @ApplicationScoped
  public static class MicrometerRegistryProducer {
    static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();

    @Produces
    @ApplicationScoped
    MeterRegistry registry() {
      return REGISTRY;
    }
  }

  /** The application's own metrics. */
  @ApplicationScoped
  public static class OwnMetrics implements AuthMetrics {
    static final List<String> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void decision(DecisionReason reason) {
      SEEN.add(reason.outcome().tag() + " " + reason);
    }

    @Override
    public void validation(ValidationOutcome outcome, long nanos) {
      SEEN.add("validation " + outcome.tag());
    }
  }

  @Test
  void countsDecisionsAndTimesValidationsInTheApplicationsMicrometerRegistry() {
    MicrometerRegistryProducer.REGISTRY.clear();
    try (WeldContainer weld =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(MicrometerRegistryProducer.class)
            .initialize()) {
      AuthMetrics metrics = AuthMetricsResolver.resolve(null, config, loader);
      assertEquals("micrometer (CDI MeterRegistry bean)", metrics.describe());
      sendOneOfEach(engine(metrics));

      MeterRegistry registry = MicrometerRegistryProducer.REGISTRY;
      assertEquals(1.0, decisions(registry, "allowed", "AUTHENTICATED"));
      assertEquals(1.0, decisions(registry, "allowed", "PUBLIC"));
      assertEquals(1.0, decisions(registry, "denied", "UNKNOWN"));
      assertEquals(1.0, decisions(registry, "denied", "MISSING_KEY"));
      assertEquals(1.0, decisions(registry, "denied", "MALFORMED"));
      assertEquals(1.0, decisions(registry, "denied", "VALIDATOR_UNAVAILABLE"));
      assertEquals(
          0.0,
          decisions(registry, "denied", "REVOKED"),
          "every series exists from the start, at zero");
      assertEquals(
          6.0,
          registry.find("nimbus.auth.decisions").counters().stream()
              .mapToDouble(c -> c.count())
              .sum());
      // A fixed set of series (docs/metrics.md says 29 and 3): no tag value comes from the request.
      assertEquals(
          DenialReason.values().length + 3,
          registry.find("nimbus.auth.decisions").counters().size());
      assertEquals(29, registry.find("nimbus.auth.decisions").counters().size());
      assertEquals(3, registry.find("nimbus.auth.validation").timers().size());
      // Only well-formed keys reach the validator: missing, malformed and public requests are not
      // timed.
      assertEquals(
          1, registry.get("nimbus.auth.validation").tag("result", "valid").timer().count());
      assertEquals(
          1, registry.get("nimbus.auth.validation").tag("result", "invalid").timer().count());
      assertEquals(
          1, registry.get("nimbus.auth.validation").tag("result", "failed").timer().count());
      assertTrue(
          registry
                  .get("nimbus.auth.validation")
                  .tag("result", "valid")
                  .timer()
                  .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)
              > 0);
    }
  }

  @Test
  void countsDecisionsAndTimesValidationsInMicroProfileMetrics() {
    try (WeldContainer weld =
        new Weld().disableDiscovery().addBeanClasses(MetricRegistryProducer.class).initialize()) {
      NimbusAuthConfig microProfile =
          NimbusAuthConfig.builder()
              .anyEnvironment()
              .publicPaths("/health")
              .metrics(MetricsKind.MICROPROFILE)
              .build();
      AuthMetrics metrics = AuthMetricsResolver.resolve(null, microProfile, loader);
      assertEquals("microprofile-metrics (application registry)", metrics.describe());
      MetricRegistry registry =
          io.smallrye.metrics.SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
      long before = count(registry, "denied", "UNKNOWN");
      long validBefore =
          registry
              .getTimer(new MetricID("nimbus.auth.validation", new Tag("result", "valid")))
              .getCount();

      sendOneOfEach(engine(metrics));

      assertEquals(before + 1, count(registry, "denied", "UNKNOWN"));
      assertEquals(
          validBefore + 1,
          registry
              .getTimer(new MetricID("nimbus.auth.validation", new Tag("result", "valid")))
              .getCount());
      assertNotNull(
          registry.getCounter(decisionId("denied", "REVOKED")),
          "every series exists from the start");
    }
  }

  @Test
  void anAuthMetricsBeanOfTheApplicationWinsOverTheRegistries() {
    OwnMetrics.SEEN.clear();
    try (WeldContainer weld =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(OwnMetrics.class, MicrometerRegistryProducer.class)
            .initialize()) {
      AuthenticationEngine engine = engine(AuthMetricsResolver.resolve(null, config, loader));
      engine.decideAndRecord(FakeRequest.get("/orders", UNKNOWN));
      assertEquals(List.of("validation invalid", "denied UNKNOWN"), OwnMetrics.SEEN);
    }
  }

  @Test
  void noneTurnsMetricsOffEvenWhereARegistryExists() {
    try (WeldContainer weld =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(MicrometerRegistryProducer.class)
            .initialize()) {
      NimbusAuthConfig off =
          NimbusAuthConfig.builder().anyEnvironment().metrics(MetricsKind.NONE).build();
      assertSame(AuthMetrics.NONE, AuthMetricsResolver.resolve(null, off, loader));
    }
  }

  @Test
  void reportsNothingWhereThereIsNoRegistry() {
    // Micrometer on the class path, no registry bean, nothing added to its global registry
    // (whatever other
    // tests of this JVM left there is set aside meanwhile).
    List<MeterRegistry> present = List.copyOf(Metrics.globalRegistry.getRegistries());
    present.forEach(Metrics::removeRegistry);
    try {
      assertSame(AuthMetrics.NONE, AuthMetricsResolver.resolve(null, config, loader));
    } finally {
      present.forEach(Metrics::addRegistry);
    }
  }

  @Test
  void micrometerWithoutCdiReportsToTheGlobalRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      NimbusAuthConfig micrometer =
          NimbusAuthConfig.builder().anyEnvironment().metrics(MetricsKind.MICROMETER).build();
      AuthMetrics metrics = AuthMetricsResolver.resolve(null, micrometer, loader);
      assertEquals("micrometer (global registry)", metrics.describe());
      engine(metrics).decideAndRecord(FakeRequest.get("/orders"));
      assertEquals(1.0, decisions(registry, "denied", "MISSING_KEY"));
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  @Test
  void aLibraryNamedWithoutItsRegistryFailsTheStartNamingTheProperty() {
    NimbusAuthConfig microProfile =
        NimbusAuthConfig.builder().anyEnvironment().metrics(MetricsKind.MICROPROFILE).build();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> AuthMetricsResolver.resolve(null, microProfile, loader));
    assertTrue(e.getMessage().contains(NimbusAuthConfig.METRICS), e.getMessage());
    assertTrue(e.getMessage().contains("MetricRegistry"), e.getMessage());
  }

  @Test
  void withNeitherLibraryOnTheClassPathAutoReportsNothingAndANamedOneFailsTheStart() {
    ClassLoader withoutMetrics =
        new ClassLoader(loader) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.micrometer.")
                || name.startsWith("org.eclipse.microprofile.metrics.")) {
              throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
          }
        };
    assertSame(AuthMetrics.NONE, AuthMetricsResolver.resolve(null, config, withoutMetrics));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                AuthMetricsResolver.resolve(
                    null,
                    NimbusAuthConfig.builder()
                        .anyEnvironment()
                        .metrics(MetricsKind.MICROMETER)
                        .build(),
                    withoutMetrics));
    assertTrue(
        e.getMessage().contains(NimbusAuthConfig.METRICS) && e.getMessage().contains("not visible"),
        e.getMessage());
  }

  @Test
  void aRequestRefusedByALaterCheckCountsBothVerdictsAndKeepsOneAuditEvent() {
    OwnMetrics.SEEN.clear();
    List<AuditEvent> audited = new ArrayList<>();
    List<com.nimbusos.auth.api.audit.AuditCompletion> completed = new ArrayList<>();
    com.nimbusos.auth.api.audit.AuditSink sink =
        new com.nimbusos.auth.api.audit.AuditSink() {
          @Override
          public void record(AuditEvent event) {
            audited.add(event);
          }

          @Override
          public void complete(com.nimbusos.auth.api.audit.AuditCompletion completion) {
            completed.add(completion);
          }
        };
    AuthenticationEngine engine =
        new AuthenticationEngine(validator, config, sink, new OwnMetrics(), Clock.systemUTC());
    FakeRequest request = FakeRequest.get("/orders", GOOD);
    Decision first = engine.decideAndRecord(request); // the servlet filter lets the key in
    RequestTrail trail = engine.trail(first, null);
    engine.authorizeAndRecord(
        trail, ResourceAccess.anyOf(Set.of("orders:write"))); // the resource needs more
    trail.complete(403);
    trail.complete(500); // a second completion (a listener after the filter) records nothing
    assertEquals(
        List.of("validation valid", "allowed AUTHENTICATED", "denied INSUFFICIENT_SCOPE"),
        OwnMetrics.SEEN);
    assertEquals(1, audited.size());
    assertEquals(1, completed.size());
    assertEquals(first.requestId(), completed.get(0).requestId());
    assertEquals("denied", completed.get(0).outcome());
    assertEquals("INSUFFICIENT_SCOPE", completed.get(0).reason());
    assertEquals(403, completed.get(0).status());
  }

  @Test
  void theSettingIsReadFromProperties() {
    NimbusAuthConfig read =
        NimbusAuthConfig.load(
            List.of(
                com.nimbusos.auth.api.config.PropertySource.of(
                    java.util.Map.of(
                        NimbusAuthConfig.ENVIRONMENT,
                        "any",
                        NimbusAuthConfig.METRICS,
                        "MicroProfile"))));
    assertEquals(MetricsKind.MICROPROFILE, read.metrics());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                NimbusAuthConfig.load(
                    List.of(
                        com.nimbusos.auth.api.config.PropertySource.of(
                            java.util.Map.of(NimbusAuthConfig.METRICS, "prometheus")))));
    assertTrue(e.getMessage().contains(NimbusAuthConfig.METRICS), e.getMessage());
  }

  @Test
  void failingMetricsNeverChangeADecision() {
    AuthMetrics broken =
        new AuthMetrics() {
          @Override
          public void decision(DecisionReason reason) {
            throw new IllegalStateException("registry closed");
          }

          @Override
          public void validation(ValidationOutcome outcome, long nanos) {
            throw new IllegalStateException("registry closed");
          }
        };
    List<AuditEvent> audited = new ArrayList<>();
    AuthenticationEngine engine =
        new AuthenticationEngine(validator, config, audited::add, broken, Clock.systemUTC());
    assertInstanceOf(
        Decision.Authenticated.class, engine.decideAndRecord(FakeRequest.get("/orders", GOOD)));
    Decision refused = engine.decideAndRecord(FakeRequest.get("/orders", UNKNOWN));
    assertEquals(DenialReason.UNKNOWN, assertInstanceOf(Decision.Denied.class, refused).reason());
    assertEquals(2, audited.size(), "the audit trail is unaffected");
  }

  private AuthenticationEngine engine(AuthMetrics metrics) {
    return new AuthenticationEngine(validator, config, event -> {}, metrics, Clock.systemUTC());
  }

  private static void sendOneOfEach(AuthenticationEngine engine) {
    engine.decideAndRecord(FakeRequest.get("/orders", GOOD));
    engine.decideAndRecord(FakeRequest.get("/health"));
    engine.decideAndRecord(FakeRequest.get("/orders", UNKNOWN));
    engine.decideAndRecord(FakeRequest.get("/orders"));
    engine.decideAndRecord(FakeRequest.get("/orders", "not a key!"));
    engine.decideAndRecord(FakeRequest.get("/orders", BROKEN));
  }

  private static double decisions(MeterRegistry registry, String outcome, String reason) {
    return registry
        .get("nimbus.auth.decisions")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .counter()
        .count();
  }

  private static long count(MetricRegistry registry, String outcome, String reason) {
    return registry.getCounter(decisionId(outcome, reason)).getCount();
  }

  private static MetricID decisionId(String outcome, String reason) {
    return new MetricID(
        "nimbus.auth.decisions", new Tag("outcome", outcome), new Tag("reason", reason));
  }
}
