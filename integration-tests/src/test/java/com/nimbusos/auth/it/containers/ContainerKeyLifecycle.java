package com.nimbusos.auth.it.containers;

import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.it.containers.app.KeyAdminServlet;
import com.nimbusos.auth.sample.Caller;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersApplication;
import com.nimbusos.auth.sample.OrdersResource;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key lifecycle in a real container: the servlet filter validates against the JDBC store on the
 * platform's {@code java:comp/DefaultDataSource} (H2 on both servers), keys are made, rotated and
 * revoked through {@code KeyManager} inside the server, and the client sees each change on its very
 * next request.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerKeyLifecycle {

  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(TestTls.trustingBuildCertificate())
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @ArquillianResource private URL deploymentUrl;

  private final HttpProbe probe = new HttpProbe(this::baseUri, () -> HTTPS);

  /**
   * The WAR: the sample app, the filter in web.xml on the JDBC store, and the test-only admin
   * servlet.
   */
  static WebArchive war() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("nimbus.auth.store", "jdbc");
    properties.put("nimbus.auth.environment", "sandbox");
    properties.put("nimbus.auth.public-paths", "/health,/test-admin/*");
    properties.put("nimbus.auth.scope-rules", ContractApp.SCOPE_RULES);
    properties.put("nimbus.auth.throttle.max-failures", "0");
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "ROOT.war")
            .addClasses(
                OrdersApplication.class,
                OrdersResource.class,
                HealthResource.class,
                Caller.class,
                KeyAdminServlet.class)
            .addAsWebInfResource("war/beans.xml", "beans.xml")
            .addAsWebInfResource("war/jboss-web.xml", "jboss-web.xml")
            .addAsWebInfResource("war/glassfish-web.xml", "glassfish-web.xml")
            .setWebXML(new StringAsset(Wiring.webXml(properties)));
    war.addAsLibrary(Wiring.Library.API.archive());
    war.addAsLibrary(Wiring.Library.FILTER.archive());
    return war;
  }

  private URI baseUri() {
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

  @Test
  void aRevokedKeyFailsOnTheVeryNextRequest() {
    String[] created = admin("create?scopes=orders:read");
    Reply before = probe.send(probe.get("orders").header("X-API-Key", created[1]));
    assertOk(before);
    assertEquals(
        "GET caller=lifecycle-partner keyId="
            + created[0]
            + " authType=API_KEY read=true write=false",
        before.body());
    admin("revoke?keyId=" + created[0]);
    assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", created[1])));
  }

  @Test
  void aRotationKeepsBothKeysWorkingAndAnnouncesTheOldOnesSunset() {
    String[] old = admin("create?scopes=orders:read,orders:write");
    String[] fresh = admin("rotate?graceSeconds=3600&keyId=" + old[0]);
    Reply oldReply = probe.send(probe.get("orders").header("X-API-Key", old[1]));
    assertOk(oldReply);
    assertTrue(oldReply.header("Sunset").isPresent(), oldReply::toString);
    Reply freshReply = probe.send(probe.post("orders", "").header("X-API-Key", fresh[1]));
    assertOk(freshReply);
    assertEquals(Optional.empty(), freshReply.header("Sunset"));
    admin("revoke?keyId=" + old[0]);
    assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", old[1])));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", fresh[1])));
  }

  /** Calls the test-only admin servlet: returns {@code [keyId, key]} or {@code [keyId]}. */
  private String[] admin(String command) {
    Reply reply = probe.send(probe.post("test-admin/" + command, ""));
    assertEquals(200, reply.status(), reply::toString);
    return reply.body().split("\n");
  }
}
