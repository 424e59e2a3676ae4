package com.nimbusos.auth.api.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * A validator or audit sink that is a CDI bean is used with no configuration at all (Weld, CDI 4).
 */
class CdiDiscoveryTest {

  /** The user's validator: a plain application-scoped bean. */
  @ApplicationScoped
  public static class BeanValidator implements KeyValidator {
    @Override
    public ValidationResult validate(PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.REVOKED);
    }
  }

  /** A second one, to make the choice ambiguous. */
  @ApplicationScoped
  public static class OtherBeanValidator implements KeyValidator {
    @Override
    public ValidationResult validate(PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
  }

  /** The user's audit sink. */
  @ApplicationScoped
  public static class BeanSink implements AuditSink {
    @Override
    public void record(AuditEvent event) {}
  }

  /** Observes audit events, as an application would to feed its SIEM. */
  @ApplicationScoped
  public static class AuditObserver {
    static final java.util.List<AuditEvent> SEEN =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    void on(@jakarta.enterprise.event.Observes AuditEvent event) {
      SEEN.add(event);
    }
  }

  /** The application's key store, produced as a bean (a JDBC store on its data source, say). */
  @ApplicationScoped
  public static class StoreProducer {
    static final com.nimbusos.auth.api.keys.InMemoryKeyStore STORE =
        new com.nimbusos.auth.api.keys.InMemoryKeyStore();

    @jakarta.enterprise.inject.Produces
    @ApplicationScoped
    com.nimbusos.auth.api.keys.KeyStore store() {
      return STORE;
    }
  }

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void validatesAgainstAKeyStoreBeanWithNoConfiguration() throws Exception {
    com.nimbusos.auth.api.keys.KeyManager keys =
        new com.nimbusos.auth.api.keys.KeyManager(
            StoreProducer.STORE, com.nimbusos.auth.api.keys.KeyHasher.sha256());
    com.nimbusos.auth.api.keys.CreatedKey live =
        keys.create(
            "acme",
            com.nimbusos.auth.api.Environment.SANDBOX,
            java.util.Set.of("orders:read"),
            null);
    com.nimbusos.auth.api.keys.CreatedKey revoked =
        keys.create(
            "acme",
            com.nimbusos.auth.api.Environment.SANDBOX,
            java.util.Set.of("orders:read"),
            null);
    keys.revoke(revoked.record().keyId());
    java.util.Set<Thread> threadsBefore = syncThreads();
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(StoreProducer.class).initialize()) {
      ValidatorResolver.Resolved resolved =
          ValidatorResolver.resolve(
              null, NimbusAuthConfig.builder().anyEnvironment().build(), loader);
      assertTrue(resolved.source().startsWith("key store of CDI bean"), resolved.source());
      assertTrue(
          resolved.owned(), "the validator over the bean (cache, poll thread) is ours to close");
      assertEquals(
          live.record().keyId(),
          ((ValidationResult.Valid) resolved.validator().validate(PresentedKey.of(live.key())))
              .principal()
              .keyId());
      assertEquals(
          ValidationResult.invalid(InvalidReason.REVOKED),
          resolved.validator().validate(PresentedKey.of(revoked.key())));
      java.util.Set<Thread> polling = new java.util.HashSet<>(syncThreads());
      polling.removeAll(threadsBefore);
      assertEquals(1, polling.size(), "the validator over the bean polls it");
      resolved.closeIfOwned();
      for (Thread thread : polling) {
        thread.join(5_000);
        assertFalse(thread.isAlive(), "closed, the validator stops polling the container's store");
      }
    }
  }

  /** A second store bean, to make the choice ambiguous. */
  @ApplicationScoped
  public static class OtherStoreProducer {
    @jakarta.enterprise.inject.Produces
    @jakarta.inject.Named("other")
    @jakarta.enterprise.inject.Default
    @ApplicationScoped
    com.nimbusos.auth.api.keys.KeyStore otherStore() {
      return new com.nimbusos.auth.api.keys.InMemoryKeyStore();
    }
  }

  /** A validator bean whose producer fails, as one reading a missing data source would. */
  @ApplicationScoped
  public static class BrokenValidatorProducer {
    @jakarta.enterprise.inject.Produces
    KeyValidator validator() {
      throw new IllegalStateException("data source jdbc/partners not found");
    }
  }

  @Test
  void refusesToGuessBetweenTwoKeyStoreBeans() {
    try (WeldContainer container =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(StoreProducer.class, OtherStoreProducer.class)
            .initialize()) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  ValidatorResolver.resolve(
                      null, NimbusAuthConfig.builder().anyEnvironment().build(), loader));
      assertTrue(
          e.getMessage()
              .startsWith(NimbusAuthConfig.STORE + ": several CDI beans implement KeyStore"),
          e.getMessage());
    }
  }

  @Test
  void aValidatorBeanThatCannotBeMadeIsAnErrorNotAnAbsence() {
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(BrokenValidatorProducer.class).initialize()) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  ValidatorResolver.resolve(
                      null, NimbusAuthConfig.builder().anyEnvironment().build(), loader));
      assertFalse(
          e instanceof ValidatorResolver.NotFound, "reported as missing: " + e.getMessage());
      assertTrue(
          e.getMessage().contains("could not be created")
              && e.getMessage().contains("data source jdbc/partners not found"),
          e.getMessage());
    }
  }

  private static java.util.Set<Thread> syncThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().equals("nimbus-auth-key-sync"))
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void aValidatorBeanWinsOverAKeyStoreBean() {
    try (WeldContainer container =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(BeanValidator.class, StoreProducer.class)
            .initialize()) {
      assertEquals(
          "CDI bean " + BeanValidator.class.getName(),
          ValidatorResolver.resolve(
                  null, NimbusAuthConfig.builder().anyEnvironment().build(), loader)
              .source());
    }
  }

  @Test
  void firesEveryAuditEventToCdiObserversAsWellAsTheSink() {
    AuditObserver.SEEN.clear();
    java.util.List<AuditEvent> logged = new java.util.ArrayList<>();
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(AuditObserver.class).initialize()) {
      AuditSink sink =
          AuditSinks.resolve(
              logged::add, NimbusAuthConfig.builder().anyEnvironment().build(), loader);
      AuditEvent event =
          new AuditEvent(
              java.time.Instant.EPOCH,
              "req_1",
              "k",
              null,
              "o",
              "sandbox",
              "allowed",
              "AUTHENTICATED",
              "GET",
              "/orders",
              0,
              "192.0.2.1",
              false,
              null);
      sink.record(event);
      assertEquals(java.util.List.of(event), AuditObserver.SEEN);
      assertEquals(java.util.List.of(event), logged);
    }
  }

  @Test
  void completionsAndClosingStillReachTheSinkBehindTheObservers() {
    java.util.List<Object> seen = new java.util.ArrayList<>();
    AuditSink given =
        new AuditSink() {
          @Override
          public void record(AuditEvent event) {
            seen.add(event);
          }

          @Override
          public void complete(com.nimbusos.auth.api.audit.AuditCompletion completion) {
            seen.add(completion);
          }

          @Override
          public void close() {
            seen.add("closed");
          }
        };
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(AuditObserver.class).initialize()) {
      AuditSink sink =
          AuditSinks.resolve(given, NimbusAuthConfig.builder().anyEnvironment().build(), loader);
      com.nimbusos.auth.api.audit.AuditCompletion completion =
          new com.nimbusos.auth.api.audit.AuditCompletion(
              java.time.Instant.EPOCH, "req_1", null, null, 200, 10);
      sink.complete(completion);
      sink.close();
      assertEquals(java.util.List.of(completion, "closed"), seen);
    }
  }

  @Test
  void firesNothingWhenNobodyObserves() {
    java.util.List<AuditEvent> logged = new java.util.ArrayList<>();
    AuditSink direct = logged::add;
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(BeanValidator.class).initialize()) {
      assertEquals(
          direct,
          AuditSinks.resolve(direct, NimbusAuthConfig.builder().anyEnvironment().build(), loader));
    }
  }

  @Test
  void usesTheCdiBeanWithNoConfiguration() throws Exception {
    try (WeldContainer container =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(BeanValidator.class, BeanSink.class)
            .initialize()) {
      ValidatorResolver.Resolved resolved =
          ValidatorResolver.resolve(
              null, NimbusAuthConfig.builder().anyEnvironment().build(), loader);
      assertEquals(
          "CDI bean " + BeanValidator.class.getName(),
          resolved.source(),
          "the bean's class, not its proxy's");
      assertFalse(resolved.owned(), "the container owns its beans");
      assertEquals(
          ValidationResult.invalid(InvalidReason.REVOKED),
          resolved.validator().validate(PresentedKey.of("sk_test_x")));
      assertInstanceOf(
          BeanSink.class,
          unproxied(
              AuditSinks.resolve(
                  null, NimbusAuthConfig.builder().anyEnvironment().build(), loader)));
    }
  }

  @Test
  void refusesFileTrailSettingsThatTheCdiSinkWouldIgnore() {
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(BeanSink.class).initialize()) {
      NimbusAuthConfig config =
          NimbusAuthConfig.builder()
              .anyEnvironment()
              .auditTrail(
                  t ->
                      t.key(
                          "an-audit-key-of-at-least-32-bytes-0123456789"
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
              .build();
      com.nimbusos.auth.api.config.ConfigurationException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              com.nimbusos.auth.api.config.ConfigurationException.class,
              () -> AuditSinks.resolve(null, config, loader));
      assertEquals(NimbusAuthConfig.AUDIT_SINK, e.property());
      assertTrue(
          e.getMessage().contains("a CDI bean implements AuditSink, which would ignore"),
          e.getMessage());
    }
  }

  @Test
  void refusesToGuessBetweenTwoBeans() {
    try (WeldContainer container =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(BeanValidator.class, OtherBeanValidator.class)
            .initialize()) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  ValidatorResolver.resolve(
                      null, NimbusAuthConfig.builder().anyEnvironment().build(), loader));
      assertTrue(e.getMessage().contains("several CDI beans"), e.getMessage());
    }
  }

  @Test
  void configurationStillWinsOverABean() {
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(BeanValidator.class).initialize()) {
      NimbusAuthConfig config =
          NimbusAuthConfig.builder()
              .anyEnvironment()
              .validatorClass(OtherBeanValidator.class.getName())
              .build();
      assertInstanceOf(
          OtherBeanValidator.class, ValidatorResolver.resolve(null, config, loader).validator());
    }
  }

  @Test
  void fallsBackToTheFileTrailWithoutCdi() {
    AuditSinks.Resolved resolved =
        AuditSinks.open(
            null, NimbusAuthConfig.builder().anyEnvironment().build(), loader, "/cdi-test");
    try {
      assertInstanceOf(com.nimbusos.auth.api.audit.trail.FileAuditSink.class, resolved.sink());
    } finally {
      resolved.closeIfOwned();
    }
  }

  private static Object unproxied(AuditSink sink) {
    return sink instanceof org.jboss.weld.proxy.WeldClientProxy proxy
        ? proxy.getMetadata().getContextualInstance()
        : sink;
  }
}
