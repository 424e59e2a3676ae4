package com.nimbusos.auth.api;

import java.util.Objects;

/**
 * What a {@link KeyValidator} decided about a key: {@link Valid} with the key's principal, or
 * {@link Invalid} with the internal reason.
 */
public sealed interface ValidationResult {

  /** The key is valid and belongs to {@code principal}. */
  static ValidationResult valid(ApiKeyPrincipal principal) {
    return new Valid(principal);
  }

  /** The key must be refused; {@code reason} goes to the audit trail, never to the client. */
  static ValidationResult invalid(InvalidReason reason) {
    return new Invalid(reason);
  }

  /**
   * A valid key.
   *
   * @param principal who the key belongs to
   */
  record Valid(ApiKeyPrincipal principal) implements ValidationResult {
    /** Rejects a null principal. */
    public Valid {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /**
   * A key to refuse.
   *
   * @param reason why, for the audit trail only
   */
  record Invalid(InvalidReason reason) implements ValidationResult {
    /** Rejects a null reason. */
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
