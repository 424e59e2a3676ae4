package com.nimbusos.auth.contract;

import java.security.Principal;
import java.util.Map;

/**
 * What every adapter's and container's contract app must be: {@code GET /orders} needs scope {@code
 * orders:read}, {@code POST /orders} needs {@code orders:write}, {@code GET /health} is public.
 * Protected resources answer {@code 200} with {@link #describe}'s text, so the contract sees the
 * caller as the application sees it.
 */
public final class ContractApp {

  /** Scope of {@code GET /orders}. */
  public static final String READ_SCOPE = "orders:read";

  /** Scope of {@code POST /orders}. */
  public static final String WRITE_SCOPE = "orders:write";

  /**
   * Scope rules equivalent to the sample's annotations, for wirings without annotations (servlet
   * filter).
   */
  public static final String SCOPE_RULES =
      "GET /orders/* = orders:read; POST /orders/* = orders:write";

  /**
   * Configuration of the contract app over plain HTTP on loopback, as the in-process tests run it.
   */
  public static final Map<String, String> PROPERTIES = properties(false, false);

  /** The same, with {@link #SCOPE_RULES} for the servlet filter. */
  public static final Map<String, String> PROPERTIES_WITH_RULES = properties(false, true);

  /**
   * The contract app's {@code nimbus.auth.*} properties.
   *
   * @param requireHttps whether plain HTTP is refused (containers serve the contract over HTTPS)
   * @param scopeRules whether to add {@link #SCOPE_RULES}
   */
  public static Map<String, String> properties(boolean requireHttps, boolean scopeRules) {
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    properties.put("nimbus.auth.validator", ContractKeyValidator.class.getName());
    properties.put("nimbus.auth.environment", "sandbox");
    properties.put("nimbus.auth.require-https", String.valueOf(requireHttps));
    properties.put("nimbus.auth.public-paths", "/health");
    // The contract sends many bad keys from one address on purpose; throttling has tests of its
    // own.
    properties.put("nimbus.auth.throttle.max-failures", "0");
    if (scopeRules) {
      properties.put("nimbus.auth.scope-rules", SCOPE_RULES);
    }
    return java.util.Collections.unmodifiableMap(properties);
  }

  private ContractApp() {}

  /**
   * The body of a protected resource: who the caller is and which scopes it holds, as seen through
   * the adapter's own API ({@code HttpServletRequest} or JAX-RS {@code SecurityContext}).
   */
  public static String describe(
      String method, Principal caller, String authType, boolean read, boolean write) {
    String keyId = caller instanceof com.nimbusos.auth.api.ApiKeyPrincipal p ? p.keyId() : "none";
    return method
        + " caller="
        + (caller == null ? "none" : caller.getName())
        + " keyId="
        + keyId
        + " authType="
        + authType
        + " read="
        + read
        + " write="
        + write;
  }
}
