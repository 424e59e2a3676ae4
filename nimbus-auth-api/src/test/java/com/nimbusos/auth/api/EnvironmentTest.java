package com.nimbusos.auth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class EnvironmentTest {

  @Test
  void eachEnvironmentHasTheLowerCaseNameThatParsesBackToIt() {
    assertEquals("sandbox", Environment.SANDBOX.configName());
    assertEquals("production", Environment.PRODUCTION.configName());
    for (Environment environment : Environment.values()) {
      assertSame(environment, Environment.parse(environment.configName()));
    }
  }

  @Test
  void theNameIsMadeOnceNotAtEveryCall() {
    // every audit event asks for it: the same String, no lower-casing per request
    assertSame(Environment.SANDBOX.configName(), Environment.SANDBOX.configName());
  }
}
