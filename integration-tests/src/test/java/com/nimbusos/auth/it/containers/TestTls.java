package com.nimbusos.auth.it.containers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Client-side TLS for the container suites: trusts exactly the certificate the build generated. */
final class TestTls {

  private TestTls() {}

  /** An SSLContext whose only trust anchor is the build's self-signed certificate. */
  static SSLContext trustingBuildCertificate() {
    try {
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      char[] password = requiredProperty("it.tls.password").toCharArray();
      try (InputStream in = Files.newInputStream(Path.of(requiredProperty("it.tls.truststore")))) {
        trustStore.load(in, password);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the build's trust store", e);
    }
  }

  /**
   * Opens a socket that offers only {@code protocol}, completes the handshake and returns the
   * protocol the server agreed to. A refused handshake surfaces as the {@link
   * javax.net.ssl.SSLException} it raised.
   */
  static String handshake(SSLContext context, String host, int port, String protocol)
      throws IOException {
    return session(context, host, port, protocol).getProtocol();
  }

  /**
   * Completes a handshake offering only {@code protocol} and, if any are given, only {@code
   * suites}.
   */
  static javax.net.ssl.SSLSession session(
      SSLContext context, String host, int port, String protocol, String... suites)
      throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
      socket.setSoTimeout(10_000);
      socket.setEnabledProtocols(new String[] {protocol});
      if (suites.length > 0) {
        socket.setEnabledCipherSuites(suites);
      }
      socket.startHandshake();
      return socket.getSession();
    }
  }

  static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      throw new IllegalStateException(
          "System property " + name + " is not set: run the tests with ./mvnw verify");
    }
    return value;
  }

  static int requiredPort(String name) {
    return Integer.parseInt(requiredProperty(name));
  }
}
