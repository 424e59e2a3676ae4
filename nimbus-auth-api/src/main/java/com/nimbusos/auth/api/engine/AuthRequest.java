package com.nimbusos.auth.api.engine;

import java.util.List;

/**
 * The few facts of an HTTP request the engine decides on; each adapter translates its own request.
 */
public interface AuthRequest {

  /**
   * The HTTP method the application serves the request with, which the decision applies to: as the
   * runtime reports it, case-sensitive ({@code get} is not {@code GET}); a {@code HEAD} may show as
   * the {@code GET} a runtime routed it to (Jersey), which the scope rules treat alike.
   */
  String method();

  /**
   * The method for the audit trail: {@link #method()}, except that a {@code HEAD} the runtime shows
   * as the {@code GET} it routed it to is recorded as the {@code HEAD} the client sent.
   */
  default String clientMethod() {
    return method();
  }

  /**
   * The path within the application as the runtime routes on it, decoded and normalised (no {@code
   * ..}, no path parameters), starting with {@code /}: the servlet path and path info, or the
   * JAX-RS path relative to the application's base.
   */
  String path();

  /**
   * The path of the request target exactly as the client sent it: percent-escapes not decoded, path
   * parameters kept, no query; it includes {@link #basePath()}. The engine refuses to decide a
   * request whose raw path could be read in more than one way, or does not decode to {@code
   * basePath() + path()}.
   */
  String rawPath();

  /**
   * The decoded part of {@link #rawPath()} in front of {@link #path()}: the servlet context path,
   * or the JAX-RS application's base path; empty at the root, never ending with {@code /}.
   */
  String basePath();

  /** Every value of the header {@code name}, matched case-insensitively; empty when absent. */
  List<String> headerValues(String name);

  /** Whether the request's connection to this server used HTTPS. */
  boolean isSecure();

  /**
   * The address of the connection's peer (a client, or a proxy in front of it), or {@code null}
   * when the adapter cannot tell; then nothing is throttled by address.
   */
  default String remoteAddress() {
    return null;
  }
}
