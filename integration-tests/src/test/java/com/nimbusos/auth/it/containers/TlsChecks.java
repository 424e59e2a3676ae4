package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The container's TLS listener offers TLS 1.2 and 1.3 and refuses TLS 1.1. Implemented by one suite per
 * container: the protocols are the server's, not the wiring's.
 */
interface TlsChecks {

  /** Measured: WildFly (Undertow) answers with a protocol_version alert; Payara (Grizzly) just closes. */
  Set<String> SERVER_REFUSALS =
      Set.of("Received fatal alert: protocol_version", "Remote host terminated the handshake");

  String tlsHost();

  int tlsPort();

  SSLContext tlsContext();

  @Test
  default void acceptsTls12OnlyClient() throws Exception {
    assertEquals("TLSv1.2", TestTls.handshake(tlsContext(), tlsHost(), tlsPort(), "TLSv1.2"));
  }

  @Test
  default void acceptsTls13OnlyClient() throws Exception {
    assertEquals("TLSv1.3", TestTls.handshake(tlsContext(), tlsHost(), tlsPort(), "TLSv1.3"));
  }

  @Test
  default void refusesTls11OnlyClient() {
    // Precondition: this JVM really offers TLS 1.1 (JDK 17 disables it unless java.security is overridden,
    // see src/test/tls/legacy-tls-allowed.security); otherwise the client, not the server, would refuse.
    assertTrue(List.of(tlsContext().getDefaultSSLParameters().getProtocols()).contains("TLSv1.1"),
        "the test JVM cannot offer TLSv1.1: is -Djava.security.properties set by failsafe?");
    SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
        () -> TestTls.handshake(tlsContext(), tlsHost(), tlsPort(), "TLSv1.1"));
    assertTrue(SERVER_REFUSALS.contains(refused.getMessage()), "refused with: " + refused);
  }
}
