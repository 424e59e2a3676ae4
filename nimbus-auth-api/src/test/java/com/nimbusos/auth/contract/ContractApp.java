package com.nimbusos.auth.contract;

import java.security.Principal;
import java.util.Map;

/**
 * What every adapter's and container's contract app must be: {@code GET /orders} needs scope {@code
 * orders:read}, {@code POST /orders} needs {@code orders:write}, {@code GET /health} is public. Protected
 * resources answer {@code 200} with {@link #describe}'s text, so the contract sees the caller as the
 * application sees it.
 */
public final class ContractApp {

  /** Scope of {@code GET /orders}. */
  public static final String READ_SCOPE = "orders:read";
  /** Scope of {@code POST /orders}. */
  public static final String WRITE_SCOPE = "orders:write";

  /** Configuration of the contract app (plain HTTP on loopback, so HTTPS is not required here). */
  public static final Map<String, String> PROPERTIES =
      Map.of(
          "nimbus.auth.validator", ContractKeyValidator.class.getName(),
          "nimbus.auth.environment", "sandbox",
          "nimbus.auth.require-https", "false",
          "nimbus.auth.public-paths", "/health");

  /** The same, with scope rules for adapters that have no annotations (the servlet filter). */
  public static final Map<String, String> PROPERTIES_WITH_RULES =
      Map.of(
          "nimbus.auth.validator", ContractKeyValidator.class.getName(),
          "nimbus.auth.environment", "sandbox",
          "nimbus.auth.require-https", "false",
          "nimbus.auth.public-paths", "/health",
          "nimbus.auth.scope-rules", "GET /orders/* = orders:read; POST /orders/* = orders:write");

  private ContractApp() {}

  /**
   * The body of a protected resource: who the caller is and which scopes it holds, as seen through the
   * adapter's own API ({@code HttpServletRequest} or JAX-RS {@code SecurityContext}).
   */
  public static String describe(String method, Principal caller, String authType, boolean read, boolean write) {
    String keyId =
        caller instanceof com.nimbusos.auth.api.ApiKeyPrincipal p ? p.keyId() : "none";
    return method + " caller=" + (caller == null ? "none" : caller.getName()) + " keyId=" + keyId
        + " authType=" + authType + " read=" + read + " write=" + write;
  }
}
