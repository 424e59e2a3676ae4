package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The JAX-RS view of the caller: the key's principal, its scopes as roles. */
final class ApiKeySecurityContext implements SecurityContext {

  /** What {@link #getAuthenticationScheme()} returns, as the servlet adapter's auth type. */
  static final String SCHEME = "API_KEY";

  private final ApiKeyPrincipal principal;
  private final boolean secure;

  ApiKeySecurityContext(ApiKeyPrincipal principal, boolean secure) {
    this.principal = principal;
    this.secure = secure;
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public boolean isUserInRole(String role) {
    return principal != null && role != null && principal.hasScope(role);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return principal == null ? null : SCHEME;
  }
}
