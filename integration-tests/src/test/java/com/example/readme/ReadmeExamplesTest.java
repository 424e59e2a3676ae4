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

/** The README's custom validator does what the README says. */
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

  @Test
  void customValidatorSaysItCannotDecideWhenItsStoreIsDown() {
    PartnerKeyValidator down = new PartnerKeyValidator(hash -> { throw new java.io.IOException("connection refused"); });
    assertThrows(KeyValidationException.class, () -> down.validate(KEY));
  }
}
