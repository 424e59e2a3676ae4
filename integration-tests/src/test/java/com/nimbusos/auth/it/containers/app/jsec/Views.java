package com.nimbusos.auth.it.containers.app.jsec;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import java.security.Principal;
import java.util.Collection;
import java.util.TreeSet;

/** How the jakarta-security test app reports what one part of the container sees of the caller. */
final class Views {

  static final String READ = "orders:read";
  static final String WRITE = "orders:write";

  private Views() {}

  /**
   * {@code view caller=acme-health keyId=k_read read=true write=false}; keyId {@code none} if not
   * ours.
   */
  static String describe(String view, Principal caller, boolean read, boolean write) {
    String keyId = caller instanceof ApiKeyPrincipal key ? key.keyId() : "none";
    return view
        + " caller="
        + (caller == null ? "none" : caller.getName())
        + " keyId="
        + keyId
        + " read="
        + read
        + " write="
        + write;
  }

  /** The key ids of the {@link ApiKeyPrincipal}s among {@code principals}, sorted. */
  static String keyIds(Collection<ApiKeyPrincipal> principals) {
    TreeSet<String> ids = new TreeSet<>();
    principals.forEach(p -> ids.add(p.keyId()));
    return ids.toString();
  }
}
