package com.nimbusos.auth.sample;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import java.security.Principal;

/**
 * How the sample describes its caller: {@code GET caller=acme-health keyId=k_read authType=API_KEY
 * read=true write=false}.
 */
public final class Caller {

  private Caller() {}

  /** One line saying who called, by which key, and which of the sample's scopes it holds. */
  public static String describe(
      String method, Principal caller, String authType, boolean read, boolean write) {
    String keyId = caller instanceof ApiKeyPrincipal key ? key.keyId() : "none";
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
