package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineFactoryTest {

  /** A validator named by class, which counts its closings. */
  public static final class Closing implements KeyValidator, AutoCloseable {
    static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public ValidationResult validate(PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }

    @Override
    public void close() {
      CLOSED.incrementAndGet();
    }
  }

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void buildsFromTheSourcesWhenNoConfigurationIsGivenAndDescribesWhatItFound() {
    KeyValidator given = key -> ValidationResult.invalid(InvalidReason.UNKNOWN);
    EngineFactory.Assembled assembled =
        EngineFactory.forApplication(loader)
            .sources(
                List.of(
                    PropertySource.of(
                        Map.of(
                            NimbusAuthConfig.ENVIRONMENT, "any",
                            NimbusAuthConfig.AUDIT_SINK, "logging",
                            NimbusAuthConfig.METRICS, "none"))))
            .validator(given)
            .build();
    try {
      assertSame(given, assembled.validator().validator());
      assertTrue(assembled.validatorFound());
      assertEquals(
          "validator from instance of "
              + given.getClass().getName()
              + ", audit to the log (com.nimbusos.auth.audit), metrics to none, "
              + assembled.engine().config(),
          assembled.describe());
    } finally {
      assembled.close();
    }
  }

  @Test
  void noValidatorAnywhereIsAnErrorUnlessTheAdapterStandsIn() {
    NimbusAuthConfig config =
        NimbusAuthConfig.builder().anyEnvironment().auditSink("logging").build();
    assertThrows(
        ValidatorResolver.NotFound.class,
        () -> EngineFactory.forApplication(loader).config(config).build());

    KeyValidator standIn = key -> ValidationResult.invalid(InvalidReason.UNKNOWN);
    EngineFactory.Assembled assembled =
        EngineFactory.forApplication(loader)
            .config(config)
            .withoutValidator(notFound -> standIn)
            .build();
    assertSame(standIn, assembled.validator().validator());
    assertFalse(assembled.validatorFound());
    assembled.close();
  }

  @Test
  void aPartThatFailsClosesWhatWasMadeBeforeIt() {
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .validatorClass(Closing.class.getName())
            .auditSink("logging")
            // No CDI container here, so no MetricRegistry bean: metrics asked for cannot be had.
            .metrics(NimbusAuthConfig.MetricsKind.MICROPROFILE)
            .build();
    int before = Closing.CLOSED.get();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> EngineFactory.forApplication(loader).config(config).build());
    assertEquals(NimbusAuthConfig.METRICS, e.property());
    assertEquals(before + 1, Closing.CLOSED.get(), "the validator made for it is closed again");
  }

  @Test
  void aGivenAuditSinkIsUsedAsItIsAndLeftOpen() {
    AtomicInteger closed = new AtomicInteger();
    AuditSink given =
        new AuditSink() {
          @Override
          public void record(AuditEvent event) {}

          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
    EngineFactory.Assembled assembled =
        EngineFactory.forApplication(loader)
            .config(NimbusAuthConfig.builder().anyEnvironment().build())
            .validator(key -> ValidationResult.invalid(InvalidReason.UNKNOWN))
            .auditSink(given)
            .metrics(AuthMetrics.NONE)
            .build();
    assertSame(given, assembled.audit().sink());
    assertFalse(assembled.audit().owned());
    assembled.close();
    assertEquals(0, closed.get(), "its owner closes it");
  }
}
