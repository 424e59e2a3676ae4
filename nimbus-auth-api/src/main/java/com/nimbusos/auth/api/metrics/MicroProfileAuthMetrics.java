package com.nimbusos.auth.api.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Reports to a MicroProfile Metrics (5.x) application {@link MetricRegistry}, under the same names
 * and tags as {@link MicrometerAuthMetrics}. Loaded only where MicroProfile Metrics is present.
 */
final class MicroProfileAuthMetrics implements AuthMetrics {

  private static final Metadata DECISIONS =
      Metadata.builder()
          .withName(MicrometerAuthMetrics.DECISIONS)
          .withDescription("Authentication decisions, by outcome and reason")
          .build();
  private static final Metadata VALIDATION =
      Metadata.builder()
          .withName(MicrometerAuthMetrics.VALIDATION)
          .withDescription("Time the KeyValidator took to decide on a well-formed key")
          .withUnit(MetricUnits.NANOSECONDS)
          .build();

  private final Map<DecisionReason, Counter> decisions = new EnumMap<>(DecisionReason.class);
  private final Map<ValidationOutcome, Timer> validations = new EnumMap<>(ValidationOutcome.class);
  private final Map<String, Counter> anomalies = new HashMap<>();

  private MicroProfileAuthMetrics(MetricRegistry registry) {
    register(registry);
    for (ValidationOutcome outcome : ValidationOutcome.values()) {
      validations.put(outcome, registry.timer(VALIDATION, new Tag("result", outcome.tag())));
    }
    for (String kind : AnomalyKinds.ALL) {
      anomalies.put(kind, registry.counter(MicrometerAuthMetrics.ANOMALIES, new Tag("kind", kind)));
    }
  }

  /** Reports to {@code registry}, an instance of {@link MetricRegistry}. */
  static AuthMetrics of(Object registry) {
    return new MicroProfileAuthMetrics((MetricRegistry) registry);
  }

  /** One counter per reason, tagged with its outcome: every series exists from the start. */
  private void register(MetricRegistry registry) {
    for (DecisionReason reason : DecisionReason.values()) {
      decisions.put(
          reason,
          registry.counter(
              DECISIONS,
              new Tag("outcome", reason.outcome().tag()),
              new Tag("reason", reason.name())));
    }
  }

  @Override
  public void decision(DecisionReason reason) {
    decisions.get(reason).inc();
  }

  @Override
  public void validation(ValidationOutcome outcome, long nanos) {
    validations.get(outcome).update(Duration.ofNanos(nanos));
  }

  @Override
  public void anomaly(String kind) {
    Counter counter = anomalies.get(kind);
    if (counter != null) {
      counter.inc();
    }
  }

  @Override
  public String describe() {
    return "microprofile-metrics (application registry)";
  }
}
