package com.nimbusos.auth.api;

import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Who a valid key belongs to. Holds only public facts about the key, never its secret or hash, so
 * it is safe to log and to expose to application code.
 *
 * <p>{@link #getName()} is the owner (the partner integration), so that container security, audit
 * and application code name the caller the same way whichever of the owner's keys was used; {@link
 * #keyId()} tells the keys apart. Scopes double as roles: {@code isUserInRole("orders:read")}.
 *
 * @param keyId the key's public identifier, unique across keys
 * @param owner the partner integration the key belongs to
 * @param environment the environment the key was issued for
 * @param scopes what the key may do; roles for container security
 * @param expiresAt when the key stops working, or {@code null} if it does not expire
 */
public record ApiKeyPrincipal(
    String keyId, String owner, Environment environment, Set<String> scopes, Instant expiresAt)
    implements Principal {

  /** Validates and copies the components: the scopes become an immutable set. */
  public ApiKeyPrincipal {
    requireText(keyId, "keyId");
    requireText(owner, "owner");
    Objects.requireNonNull(environment, "environment");
    scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
  }

  /** Returns the owner of the key. */
  @Override
  public String getName() {
    return owner;
  }

  /** Whether the key carries {@code scope}. */
  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  /** Whether the key carries at least one of {@code anyOf}. */
  public boolean hasAnyScope(Collection<String> anyOf) {
    for (String scope : anyOf) {
      if (scopes.contains(scope)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the key has expired at {@code now}; a key expires at its expiry instant exactly. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
