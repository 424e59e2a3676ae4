package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthError;
import com.nimbusos.auth.api.engine.DenialReason;

/**
 * Thrown by application code to refuse a request with the documented error, e.g. after a check of
 * its own that the key's owner may see a record: {@code throw ApiKeyAuthException.forbidden()}.
 * Answered with the documented JSON and the request's id.
 */
public final class ApiKeyAuthException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient AuthError error;
  private final transient DenialReason reason;

  private ApiKeyAuthException(AuthError error, DenialReason reason) {
    super(error.code(), null, false, false);
    this.error = error;
    this.reason = reason;
  }

  /** {@code 401 unauthorized}. */
  public static ApiKeyAuthException unauthorized() {
    return new ApiKeyAuthException(AuthError.UNAUTHORIZED, DenialReason.MISSING_KEY);
  }

  /** {@code 403 forbidden}. */
  public static ApiKeyAuthException forbidden() {
    return new ApiKeyAuthException(AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
  }

  AuthError error() {
    return error;
  }

  DenialReason reason() {
    return reason;
  }
}
