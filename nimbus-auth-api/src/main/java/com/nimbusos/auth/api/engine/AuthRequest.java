package com.nimbusos.auth.api.engine;

import java.util.List;

/** The few facts of an HTTP request the engine decides on; each adapter translates its own request. */
public interface AuthRequest {

  /** The HTTP method, upper case. */
  String method();

  /**
   * The path within the application, decoded and normalised by the container (no {@code ..}, no path
   * parameters), starting with {@code /}.
   */
  String path();

  /** Every value of the header {@code name}, matched case-insensitively; empty when absent. */
  List<String> headerValues(String name);

  /** Whether the request's connection to this server used HTTPS. */
  boolean isSecure();

  /**
   * The address of the connection's peer (a client, or a proxy in front of it), or {@code null} when the
   * adapter cannot tell; then nothing is throttled by address.
   */
  default String remoteAddress() {
    return null;
  }
}
