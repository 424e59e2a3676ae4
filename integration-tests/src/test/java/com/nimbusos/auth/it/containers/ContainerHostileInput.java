package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.contract.HostileInputContract;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import javax.net.ssl.SSLContext;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile-input corpus over raw TLS sockets against a {@link Wiring} WAR in a real container:
 * the container's own HTTP parser meets the corpus first, then Nimbus.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerHostileInput extends HostileInputContract {

  private static final SSLContext TLS = TestTls.trustingBuildCertificate();

  @ArquillianResource private URL deploymentUrl;

  @Override
  protected URI baseUri() {
    try {
      return new URI(
          "https",
          null,
          deploymentUrl.getHost(),
          TestTls.requiredPort("it.https.port"),
          "/",
          null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected SSLContext tls() {
    return TLS;
  }
}
