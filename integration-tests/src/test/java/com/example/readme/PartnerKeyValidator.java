package com.example.readme;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

// README: "Writing a custom validator". Kept here so the example always compiles.
public class PartnerKeyValidator implements KeyValidator {

  /** Your store: SHA-256 of each key (hex) to its partner. Never the keys themselves. */
  public interface PartnerStore {
    /** Finds a partner by key hash; throws when the store cannot be reached. */
    Map<String, String> findByKeyHash(String sha256Hex) throws java.io.IOException;
  }

  private final PartnerStore store;

  public PartnerKeyValidator() {
    this(hash -> Map.of());
  }

  public PartnerKeyValidator(PartnerStore store) {
    this.store = store;
  }

  @Override
  public ValidationResult validate(PresentedKey key) throws KeyValidationException {
    Map<String, String> row;
    try {
      row = store.findByKeyHash(HexFormat.of().formatHex(key.sha256()));
    } catch (java.io.IOException e) {
      // Cannot decide: Nimbus Auth answers 503 and never lets the request through.
      throw new KeyValidationException("partner store unreachable", e);
    }
    if (row.isEmpty()) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
    if (row.containsKey("revokedAt")) {
      return ValidationResult.invalid(InvalidReason.REVOKED);
    }
    return ValidationResult.valid(
        new ApiKeyPrincipal(
            row.get("keyId"),
            row.get("partner"),
            Environment.parse(row.get("environment")),
            Set.of(row.get("scopes").split(" ")),
            null));
  }
}
