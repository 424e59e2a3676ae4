package com.nimbusos.auth.api.metrics;

import com.nimbusos.auth.api.engine.DenialReason;
import java.util.ArrayList;
import java.util.List;

/** Every reason a decision can carry, so that back-ends create each series at start, at zero. */
final class DecisionReasons {

  /** The reasons of allowed decisions. */
  static final List<String> ALLOWED = List.of("AUTHENTICATED", "PUBLIC", "CORS_PREFLIGHT");

  /** The kinds of anomaly a request can be flagged with. */
  static final List<String> ANOMALIES = List.of("RATE_SPIKE", "SPRAYING");

  /** The reasons of denied decisions. */
  static final List<String> DENIED = denied();

  private DecisionReasons() {}

  private static List<String> denied() {
    List<String> names = new ArrayList<>();
    for (DenialReason reason : DenialReason.values()) {
      names.add(reason.name());
    }
    return List.copyOf(names);
  }
}
