package com.nimbusos.auth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyPrincipalTest {

  private static final Instant EXPIRY = Instant.parse("2027-01-01T00:00:00Z");

  private final ApiKeyPrincipal principal =
      new ApiKeyPrincipal("k_1", "acme-health", Environment.SANDBOX, Set.of("orders:read"), EXPIRY);

  @Test
  void isNamedAfterItsOwner() {
    assertEquals("acme-health", principal.getName());
  }

  @Test
  void expiresAtItsExpiryInstantExactly() {
    assertFalse(principal.isExpiredAt(EXPIRY.minusNanos(1)));
    assertTrue(principal.isExpiredAt(EXPIRY));
  }

  @Test
  void neverExpiresWithoutAnExpiry() {
    ApiKeyPrincipal forever = new ApiKeyPrincipal("k", "o", Environment.PRODUCTION, Set.of(), null);
    assertFalse(forever.isExpiredAt(Instant.MAX));
  }

  @Test
  void holdsAnImmutableCopyOfItsScopes() {
    Set<String> scopes = new HashSet<>(Set.of("a"));
    ApiKeyPrincipal p = new ApiKeyPrincipal("k", "o", Environment.SANDBOX, scopes, null);
    scopes.add("b");
    assertFalse(p.hasScope("b"));
    assertThrows(UnsupportedOperationException.class, () -> p.scopes().add("c"));
  }

  @Test
  void matchesAnyOfSeveralScopes() {
    assertTrue(principal.hasAnyScope(List.of("orders:write", "orders:read")));
    assertFalse(principal.hasAnyScope(List.of("orders:write")));
    assertFalse(principal.hasAnyScope(List.of()));
  }

  @Test
  void refusesABlankIdOrOwner() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ApiKeyPrincipal(" ", "o", Environment.SANDBOX, Set.of(), null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ApiKeyPrincipal("k", "", Environment.SANDBOX, Set.of(), null));
  }
}
