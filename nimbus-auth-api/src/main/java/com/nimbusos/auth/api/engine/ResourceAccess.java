package com.nimbusos.auth.api.engine;

import java.util.Set;

/**
 * What a resource demands of its callers, as declared by {@code @PermitAll}, {@code @DenyAll} and
 * {@code @RolesAllowed} (roles are scopes), or nothing, which means any valid key.
 *
 * @param kind the kind of access
 * @param anyOfScopes for {@link Kind#ANY_OF_SCOPES}, the scopes of which the key needs one
 */
public record ResourceAccess(Kind kind, Set<String> anyOfScopes) {

  /** The kinds of access. */
  public enum Kind {
    /** No key needed. */
    PERMIT_ALL,
    /** Nobody. */
    DENY_ALL,
    /** A key with at least one of the scopes. */
    ANY_OF_SCOPES,
    /** Any valid key. */
    AUTHENTICATED
  }

  private static final ResourceAccess PERMIT_ALL = new ResourceAccess(Kind.PERMIT_ALL, Set.of());
  private static final ResourceAccess DENY_ALL = new ResourceAccess(Kind.DENY_ALL, Set.of());
  private static final ResourceAccess AUTHENTICATED =
      new ResourceAccess(Kind.AUTHENTICATED, Set.of());

  /** Copies the scopes. */
  public ResourceAccess {
    anyOfScopes = Set.copyOf(anyOfScopes);
  }

  /** No key needed. */
  public static ResourceAccess permitAll() {
    return PERMIT_ALL;
  }

  /** Nobody may call. */
  public static ResourceAccess denyAll() {
    return DENY_ALL;
  }

  /** Any valid key. */
  public static ResourceAccess authenticated() {
    return AUTHENTICATED;
  }

  /**
   * A key holding one of {@code scopes}; none at all admits nobody, as an empty
   * {@code @RolesAllowed}.
   */
  public static ResourceAccess anyOf(Set<String> scopes) {
    return new ResourceAccess(Kind.ANY_OF_SCOPES, scopes);
  }
}
