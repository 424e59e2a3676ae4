package com.nimbusos.auth.api.metrics;

import java.util.List;

/**
 * The kinds of anomaly a request can be flagged with, so that back-ends create each series at
 * start, at zero; the engine's {@code UsageAnomalies} names them.
 */
final class AnomalyKinds {

  static final List<String> ALL = List.of("RATE_SPIKE", "SPRAYING");

  private AnomalyKinds() {}
}
