package com.nimbusos.auth.api.engine;

/** Names of the HTTP headers Nimbus Auth reads and writes. */
public final class NimbusHeaders {

  /** The only place a key is read from. */
  public static final String API_KEY = "X-API-Key";

  /** On every response: the request's id, the same as in the error body and the audit trail. */
  public static final String REQUEST_ID = "X-Request-Id";

  /** On responses to a key that will expire: when it stops working (RFC 8594). */
  public static final String SUNSET = "Sunset";

  private NimbusHeaders() {}
}
