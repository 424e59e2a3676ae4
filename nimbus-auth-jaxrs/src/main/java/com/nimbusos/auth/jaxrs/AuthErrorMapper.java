package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthError;
import com.nimbusos.auth.api.engine.DenialReason;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers authentication and authorisation exceptions, ours and JAX-RS's, with the documented JSON
 * instead of the runtime's default page. The body is completed by {@link ResponseFinisher}, which
 * knows the request's id.
 */
abstract sealed class AuthErrorMapper<E extends Throwable> implements ExceptionMapper<E> {

  private final AuthError error;
  private final DenialReason reason;

  AuthErrorMapper(AuthError error, DenialReason reason) {
    this.error = error;
    this.reason = reason;
  }

  @Override
  public Response toResponse(E exception) {
    return pending(error, reason);
  }

  static Response pending(AuthError error, DenialReason reason) {
    return Response.status(error.status()).entity(new PendingAuthError(error, reason)).build();
  }

  /** {@link NotAuthorizedException}, e.g. thrown by application code: {@code 401 unauthorized}. */
  static final class NotAuthorized extends AuthErrorMapper<NotAuthorizedException> {
    NotAuthorized() {
      super(AuthError.UNAUTHORIZED, DenialReason.MISSING_KEY);
    }
  }

  /**
   * {@link ForbiddenException}, e.g. from a runtime's own {@code @RolesAllowed}: {@code 403
   * forbidden}.
   */
  static final class Forbidden extends AuthErrorMapper<ForbiddenException> {
    Forbidden() {
      super(AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
    }
  }

  /**
   * An EJB's refusal ({@code @RolesAllowed} on a session bean the caller's key lacks the scope
   * for), thrown through a resource: {@code 403 forbidden}, instead of the runtime's 500 or HTML
   * page and the EJB container's message. Registered by {@link NimbusAuthFeature} only where the
   * EJB API is present.
   */
  static final class EjbAccessDenied extends AuthErrorMapper<jakarta.ejb.EJBAccessException> {
    static final String EXCEPTION = "jakarta.ejb.EJBAccessException";

    EjbAccessDenied() {
      super(AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
    }

    /** Whether {@code loader} sees the EJB API, so that this mapper can be loaded. */
    static boolean available(ClassLoader loader) {
      try {
        Class.forName(EXCEPTION, false, loader);
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }

  /** Our own {@link ApiKeyAuthException}: the error it names. */
  static final class ApiKeyFailure extends AuthErrorMapper<ApiKeyAuthException> {
    ApiKeyFailure() {
      super(AuthError.UNAUTHORIZED, DenialReason.MISSING_KEY);
    }

    @Override
    public Response toResponse(ApiKeyAuthException exception) {
      return pending(exception.error(), exception.reason());
    }
  }
}
