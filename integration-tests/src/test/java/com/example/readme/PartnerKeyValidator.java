package com.example.readme;

// The README's "A custom validator": DocsExamplesTest checks that the README shows this file from its imports on.
import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

@ApplicationScoped
public class PartnerKeyValidator implements KeyValidator {

  /** Your store: the row of the key with this SHA-256 (hex), or an empty map. Never the keys themselves. */
  public interface PartnerStore {
    Map<String, String> findByKeyHash(String sha256Hex) throws IOException;
  }

  private final PartnerStore store;

  public PartnerKeyValidator() { // CDI, and nimbus.auth.validator, need a public no-argument constructor
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
    } catch (IOException e) {
      throw new KeyValidationException("partner store unreachable", e); // 503: never let it through
    }
    if (row.isEmpty()) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
    if (row.containsKey("revokedAt")) {
      return ValidationResult.invalid(InvalidReason.REVOKED);
    }
    return ValidationResult.valid(new ApiKeyPrincipal(
        row.get("keyId"),                           // public id: audit trail, logs, the key management page
        row.get("partner"),                         // the owner: getName(), getRemoteUser()
        Environment.parse(row.get("environment")),  // sandbox or production: must be the deployment's
        Set.of(row.get("scopes").split(" ")),       // the scopes, which are the roles
        null));                                     // expiry (an Instant), or null for none
  }
}
