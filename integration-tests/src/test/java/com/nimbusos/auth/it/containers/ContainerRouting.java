package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.contract.RawHttp;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.it.routing.AuditProbe;
import com.nimbusos.auth.it.routing.Audited;
import com.nimbusos.auth.it.routing.RoutingCorpusContract;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing corpus over raw TLS sockets against a {@link Wiring#routingWar()} in a real
 * container: the container's parser and normalisation, then Nimbus Auth, then the container's
 * JAX-RS runtime routing to the probe. The audit events are read back through the WAR's audit
 * servlet.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerRouting extends RoutingCorpusContract {

  private static final SSLContext TLS = TestTls.trustingBuildCertificate();
  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(TLS)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @ArquillianResource private URL deploymentUrl;

  /**
   * A target neither origin-form ({@code /…}) nor absolute-form ({@code https://…}): {@code *},
   * {@code probe/x}.
   */
  static boolean originLess(String target) {
    return !target.startsWith("/") && !target.contains("://");
  }

  private URI base() {
    return URI.create("https://" + host() + "/");
  }

  @Override
  protected String host() {
    return deploymentUrl.getHost() + ":" + TestTls.requiredPort("it.https.port");
  }

  @Override
  protected Reply exchange(byte[] request, boolean head) throws IOException {
    return new RawHttp(base(), TLS).send(request, head);
  }

  @Override
  protected List<Audited> audit(String requestId) throws IOException {
    return new AuditProbe(HTTPS, base()).of(requestId);
  }
}
