package com.nimbusos.auth.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.api.engine.DenialReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The metrics package names the engine's reasons without depending on the engine: the names must
 * agree.
 */
class DecisionReasonsTest {

  @Test
  void namesEveryDenialReasonInItsOrder() {
    assertEquals(
        Arrays.stream(DenialReason.values()).map(Enum::name).toList(), DecisionReasons.DENIED);
  }
}
