package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which corpus targets the routing suites let Payara answer itself: as few as the container forces,
 * since for those only "nothing ran" is asserted.
 */
class PayaraGrizzlyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/probe%zz",
        "/probe/%2",
        "/probe/x/.",
        "/probe/x/..",
        "/probe/x/%2e",
        "/probe/x/%2E%2e",
        "/probe/x/.?q=1",
        "https://localhost/probe/x/.."
      })
  void grizzlyMayAnswerUndecodableTargetsAndTrailingDotSegments(String target) {
    assertTrue(PayaraGrizzly.answersItself(target), target);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/probe/x",
        "/probe/x/",
        "/probe/x/../y",
        "/probe/./x",
        "/probe/x/.hidden",
        "/probe/x/...",
        "/probe/x.",
        "/probe/x?next=/.",
        "/probe/%2e%2e/x"
      })
  void everyOtherTargetMustReachNimbus(String target) {
    assertFalse(PayaraGrizzly.answersItself(target), target);
  }
}
