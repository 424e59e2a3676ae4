package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import java.util.Objects;
import java.util.Optional;

/** The engine's verdict on one request. Every verdict carries the request's id. */
public sealed interface Decision {

  /** The request's id, {@code req_…}. */
  String requestId();

  /** The caller, when a key was accepted. */
  default Optional<ApiKeyPrincipal> principal() {
    return Optional.empty();
  }

  /** Whether the request may proceed to the application. */
  default boolean allowed() {
    return !(this instanceof Denied);
  }

  /**
   * A valid key with the scopes the path needs.
   *
   * @param requestId the request's id
   * @param caller the key's owner
   */
  record Authenticated(String requestId, ApiKeyPrincipal caller) implements Decision {
    /** Rejects nulls. */
    public Authenticated {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(caller, "caller");
    }

    @Override
    public Optional<ApiKeyPrincipal> principal() {
      return Optional.of(caller);
    }
  }

  /**
   * A public path: proceeds with no caller.
   *
   * @param requestId the request's id
   */
  record Anonymous(String requestId) implements Decision {}

  /**
   * A CORS preflight, answered by the module itself with {@code 204} and {@code headers}: it never
   * reaches the application, so it does not {@linkplain #allowed() proceed}; an adapter writes
   * {@link AuthenticationEngine#response(Decision)}.
   *
   * @param requestId the request's id
   * @param headers the CORS headers of the answer
   */
  record Preflight(String requestId, java.util.Map<String, String> headers) implements Decision {
    /** Copies the headers, keeping their order. */
    public Preflight {
      Objects.requireNonNull(requestId, "requestId");
      headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    @Override
    public boolean allowed() {
      return false;
    }
  }

  /**
   * A refused request.
   *
   * @param requestId the request's id
   * @param error what the client receives
   * @param reason why, for operators
   */
  record Denied(String requestId, AuthError error, DenialReason reason) implements Decision {}
}
