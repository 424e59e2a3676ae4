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
 * The container's TLS listener offers TLS 1.2 and 1.3 and refuses TLS 1.1. Implemented by one suite
 * per container: the protocols are the server's, not the wiring's.
 */
interface TlsChecks {

  /**
   * Measured: WildFly (Undertow) answers with a protocol_version alert; Payara (Grizzly) just
   * closes.
   */
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
  default void negotiatesAForwardSecretAeadSuiteOverTls12() throws Exception {
    String suite = TestTls.session(tlsContext(), tlsHost(), tlsPort(), "TLSv1.2").getCipherSuite();
    assertTrue(
        suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20")),
        suite);
  }

  /**
   * Static-RSA key exchange (no forward secrecy) and CBC, among them AES128-SHA and AES256-SHA, are
   * refused.
   */
  @Test
  default void refusesTls12SuitesWithoutForwardSecrecyOrAead() {
    for (String suite :
        List.of(
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")) {
      // Precondition: this client really offers the suite, so that a refusal is the server's.
      assertTrue(
          List.of(tlsContext().getSupportedSSLParameters().getCipherSuites()).contains(suite),
          suite);
      assertThrows(
          javax.net.ssl.SSLException.class,
          () -> TestTls.session(tlsContext(), tlsHost(), tlsPort(), "TLSv1.2", suite),
          suite + " was accepted");
    }
  }

  @Test
  default void refusesTls11OnlyClient() {
    // Precondition: this JVM really offers TLS 1.1 (JDK 17 disables it unless java.security is
    // overridden,
    // see src/test/tls/legacy-tls-allowed.security); otherwise the client, not the server, would
    // refuse.
    assertTrue(
        List.of(tlsContext().getDefaultSSLParameters().getProtocols()).contains("TLSv1.1"),
        "the test JVM cannot offer TLSv1.1: is -Djava.security.properties set by failsafe?");
    SSLHandshakeException refused =
        assertThrows(
            SSLHandshakeException.class,
            () -> TestTls.handshake(tlsContext(), tlsHost(), tlsPort(), "TLSv1.1"));
    assertTrue(SERVER_REFUSALS.contains(refused.getMessage()), "refused with: " + refused);
  }
}
