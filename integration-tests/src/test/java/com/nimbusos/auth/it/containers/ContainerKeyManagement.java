package com.nimbusos.auth.it.containers;

import static com.nimbusos.auth.contract.ContractAssertions.assertError;
import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.it.containers.app.KeyAdminServlet;
import com.nimbusos.auth.sample.ApiKeysResource;
import com.nimbusos.auth.sample.Caller;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersApplication;
import com.nimbusos.auth.sample.OrdersResource;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key management API on the server's own JAX-RS runtime (RESTEasy on WildFly, Jersey on
 * Payara): the servlet filter in front, configured by its init-params only (the API reads them
 * too), the JDBC store on the platform's default data source, the sample's one-line {@code
 * ApiKeysResource}. A partner creates, uses and revokes a key over HTTPS; an escalation and another
 * owner's key are refused; the page loads without a key under its policy.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerKeyManagement {

  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(TestTls.trustingBuildCertificate())
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private static final Pattern SECRET = Pattern.compile("\"key\":\"(sk_test_[A-Za-z0-9]+)\"");

  @ArquillianResource private URL deploymentUrl;

  private final HttpProbe probe = new HttpProbe(this::baseUri, () -> HTTPS);

  /**
   * The WAR: the sample app with the API, the filter in web.xml on the JDBC store, the test-only
   * admin servlet.
   */
  static WebArchive war() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("nimbus.auth.store", "jdbc");
    properties.put("nimbus.auth.environment", "sandbox");
    properties.put("nimbus.auth.public-paths", "/health,/test-admin/*,/api-keys/page/*");
    properties.put("nimbus.auth.throttle.max-failures", "0");
    properties.put("nimbus.auth.audit.sink", "com.nimbusos.auth.jaxrs.keys.UsageAuditSink");
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "ROOT.war")
            .addClasses(
                OrdersApplication.class,
                OrdersResource.class,
                HealthResource.class,
                Caller.class,
                ApiKeysResource.class,
                KeyAdminServlet.class)
            .addAsWebInfResource("war/beans.xml", "beans.xml")
            .addAsWebInfResource("war/jboss-web.xml", "jboss-web.xml")
            .addAsWebInfResource("war/glassfish-web.xml", "glassfish-web.xml")
            .setWebXML(new StringAsset(Wiring.webXml(properties)));
    for (Wiring.Library library : Wiring.Library.values()) {
      war.addAsLibrary(library.archive());
    }
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
  void aPartnerCreatesUsesAndRevokesAKeyOverHttp() {
    String[] manager = admin("create?scopes=orders:read,keys:manage&owner=km-partner");
    Reply listing = probe.send(probe.get("api-keys").header("X-API-Key", manager[1]));
    assertOk(listing);
    assertEquals("no-store", listing.header("Cache-Control").orElse(""));
    assertTrue(listing.body().contains("\"id\":\"" + manager[0] + "\""), listing::toString);

    Reply created =
        probe.send(json(probe.post("api-keys", "{\"scopes\":[\"orders:read\"]}"), manager[1]));
    assertEquals(201, created.status(), created::toString);
    assertEquals("no-store", created.header("Cache-Control").orElse(""));
    Matcher secret = SECRET.matcher(created.body());
    assertTrue(secret.find(), created::toString);
    String key = secret.group(1);
    String keyId =
        created.body().replaceAll("(?s).*\"record\":\\{\"id\":\"(key_[0-9a-f]+)\".*", "$1");

    Reply used = probe.send(probe.get("orders").header("X-API-Key", key));
    assertOk(used);
    assertEquals(
        "GET caller=km-partner keyId=" + keyId + " authType=API_KEY read=true write=false",
        used.body());
    assertOk(
        probe.send(
            probe.post("api-keys/" + keyId + "/revoke", "").header("X-API-Key", manager[1])));
    assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", key)));
  }

  @Test
  void escalationsAndOtherOwnersKeysAreRefused() {
    String[] manager = admin("create?scopes=orders:read,keys:manage&owner=km-partner");
    String[] stranger = admin("create?scopes=orders:read&owner=km-stranger");
    assertForbidden(
        probe.send(json(probe.post("api-keys", "{\"scopes\":[\"keys:manage\"]}"), manager[1])));
    assertForbidden(
        probe.send(json(probe.post("api-keys", "{\"scopes\":[\"orders:write\"]}"), manager[1])));
    assertError(
        probe.send(
            probe.post("api-keys/" + stranger[0] + "/revoke", "").header("X-API-Key", manager[1])),
        404,
        "not_found",
        "No such key");
    assertOk(probe.send(probe.get("orders").header("X-API-Key", stranger[1])));
    assertForbidden(probe.send(probe.get("api-keys").header("X-API-Key", stranger[1])));
    assertUnauthorized(probe.send(probe.get("api-keys")));
  }

  @Test
  void thePageLoadsWithoutAKeyUnderItsPolicy() {
    Reply page = probe.send(probe.get("api-keys/page"));
    assertEquals(200, page.status(), page::toString);
    assertTrue(
        page.header("Content-Security-Policy")
            .orElse("")
            .startsWith("default-src 'none'; script-src 'self'"),
        page::toString);
    assertTrue(page.body().contains("src=\"/api-keys/page/api-keys.js\""), page.body());
    Reply script = probe.send(probe.get("api-keys/page/api-keys.js"));
    assertEquals(200, script.status(), script::toString);
    assertTrue(
        script.header("Content-Type").orElse("").startsWith("text/javascript"), script::toString);
  }

  private static HttpRequest.Builder json(HttpRequest.Builder request, String key) {
    return request.header("Content-Type", "application/json").header("X-API-Key", key);
  }

  /** Calls the test-only admin servlet: returns {@code [keyId, key]}. */
  private String[] admin(String command) {
    Reply reply = probe.send(probe.post("test-admin/" + command, ""));
    assertEquals(200, reply.status(), reply::toString);
    return reply.body().split("\n");
  }
}
