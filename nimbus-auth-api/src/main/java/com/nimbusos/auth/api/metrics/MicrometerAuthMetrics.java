package com.nimbusos.auth.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reports to a Micrometer {@link MeterRegistry}: counter {@code nimbus.auth.decisions} (tags {@code
 * outcome}, {@code reason}) and timer {@code nimbus.auth.validation} (tag {@code result}). Every
 * series is registered at start, so the hot path only looks up a map. Loaded only where Micrometer
 * is present.
 */
final class MicrometerAuthMetrics implements AuthMetrics {

  static final String DECISIONS = "nimbus.auth.decisions";
  static final String VALIDATION = "nimbus.auth.validation";
  static final String ANOMALIES = "nimbus.auth.anomalies";

  private final Map<DecisionReason, Counter> decisions = new EnumMap<>(DecisionReason.class);
  private final Map<ValidationOutcome, Timer> validations = new EnumMap<>(ValidationOutcome.class);
  private final Map<String, Counter> anomalies = new HashMap<>();
  private final String description;

  private MicrometerAuthMetrics(MeterRegistry registry, String description) {
    this.description = description;
    register(registry);
    for (ValidationOutcome outcome : ValidationOutcome.values()) {
      validations.put(
          outcome,
          Timer.builder(VALIDATION)
              .description("Time the KeyValidator took to decide on a well-formed key")
              .tag("result", outcome.tag())
              .register(registry));
    }
    for (String kind : AnomalyKinds.ALL) {
      anomalies.put(
          kind,
          Counter.builder(ANOMALIES)
              .description("Requests flagged as an anomaly of key usage, by kind")
              .tag("kind", kind)
              .register(registry));
    }
  }

  /** Reports to {@code registry}, an instance of {@link MeterRegistry}. */
  static AuthMetrics of(Object registry, String where) {
    return new MicrometerAuthMetrics((MeterRegistry) registry, "micrometer (" + where + ")");
  }

  /** Reports to Micrometer's global registry. */
  static AuthMetrics global() {
    return new MicrometerAuthMetrics(Metrics.globalRegistry, "micrometer (global registry)");
  }

  /** Whether anything would see what is reported to the global registry. */
  static boolean globalHasRegistries() {
    return !Metrics.globalRegistry.getRegistries().isEmpty();
  }

  /** One counter per reason, tagged with its outcome: every series exists from the start. */
  private void register(MeterRegistry registry) {
    for (DecisionReason reason : DecisionReason.values()) {
      decisions.put(
          reason,
          Counter.builder(DECISIONS)
              .description("Authentication decisions, by outcome and reason")
              .tag("outcome", reason.outcome().tag())
              .tag("reason", reason.name())
              .register(registry));
    }
  }

  @Override
  public void decision(DecisionReason reason) {
    decisions.get(reason).increment();
  }

  @Override
  public void validation(ValidationOutcome outcome, long nanos) {
    validations.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void anomaly(String kind) {
    Counter counter = anomalies.get(kind);
    if (counter != null) {
      counter.increment();
    }
  }

  @Override
  public String describe() {
    return description;
  }
}
