package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's validator example does what the README says. */
class ReadmeExamplesTest {

  private static final PresentedKey KEY = PresentedKey.of("sk_live_readmeexample00000000");

  @Test
  void customValidatorReportsUnknownRevokedAndValidKeys() throws Exception {
    assertEquals(ValidationResult.invalid(InvalidReason.UNKNOWN), new PartnerKeyValidator().validate(KEY));
    Map<String, String> row =
        Map.of("keyId", "k_1", "partner", "acme", "environment", "production", "scopes", "orders:read");
    ValidationResult.Valid valid =
        assertInstanceOf(ValidationResult.Valid.class, new PartnerKeyValidator(hash -> row).validate(KEY));
    assertEquals("acme", valid.principal().getName());
    Map<String, String> revoked = new java.util.HashMap<>(row);
    revoked.put("revokedAt", "2026-01-01T00:00:00Z");
    assertEquals(ValidationResult.invalid(InvalidReason.REVOKED), new PartnerKeyValidator(hash -> revoked).validate(KEY));
  }

  /**
   * Every scope-rule example in the README, taken literally, names every allowed method on each of its
   * paths: a user who copies one leaves no method open by accident (and none refused by surprise).
   */
  @Test
  void readmeScopeRuleExamplesLeaveNoMethodUncovered() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    java.util.regex.Matcher rules = java.util.regex.Pattern.compile(
        "nimbus\\.auth\\.scope-rules(?:</param-name>\\s*<param-value>|=|\", value = \")([^<\"\\n]+)").matcher(readme);
    int examples = 0;
    while (rules.find()) {
      String example = rules.group(1).strip();
      if (example.startsWith("`") || example.isEmpty()) {
        continue;
      }
      examples++;
      com.nimbusos.auth.api.config.NimbusAuthConfig config =
          com.nimbusos.auth.api.config.NimbusAuthConfig.builder().anyEnvironment().scopeRules(example).build();
      assertEquals(Map.of(), config.uncoveredMethods(), "README example leaves methods uncovered: " + example);
    }
    assertEquals(3, examples, "the README's three wiring examples carry scope rules");
  }

  @Test
  void customValidatorSaysItCannotDecideWhenItsStoreIsDown() {
    PartnerKeyValidator down = new PartnerKeyValidator(hash -> { throw new java.io.IOException("connection refused"); });
    assertThrows(KeyValidationException.class, () -> down.validate(KEY));
  }
}
