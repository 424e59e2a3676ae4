package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The request as downstream code sees it once its key was accepted: the key's owner is the user.
 */
public final class ApiKeyRequest extends HttpServletRequestWrapper {

  /** What {@link #getAuthType()} returns. */
  public static final String AUTH_TYPE = "API_KEY";

  private final ApiKeyPrincipal principal;

  ApiKeyRequest(HttpServletRequest request, ApiKeyPrincipal principal) {
    super(request);
    this.principal = principal;
  }

  /** The caller, an {@link ApiKeyPrincipal}. */
  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  /** The key's owner. */
  @Override
  public String getRemoteUser() {
    return principal.getName();
  }

  /** Whether the key carries {@code role} as a scope. */
  @Override
  public boolean isUserInRole(String role) {
    return role != null && principal.hasScope(role);
  }

  /** {@value #AUTH_TYPE}. */
  @Override
  public String getAuthType() {
    return AUTH_TYPE;
  }
}
