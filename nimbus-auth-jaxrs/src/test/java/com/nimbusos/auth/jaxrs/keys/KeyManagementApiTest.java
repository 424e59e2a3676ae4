package com.nimbusos.auth.jaxrs.keys;

import static com.nimbusos.auth.contract.ContractAssertions.assertError;
import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.Json;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.jaxrs.NimbusAuthFeature;
import com.nimbusos.auth.jaxrs.OrdersResource;
import com.nimbusos.auth.jaxrs.ServletJerseyApp;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key management API over real HTTP (Jersey as a servlet on Jetty), behind the JAX-RS feature:
 * what each kind of caller may do, the escalations it may not, the audit trail of both, and the
 * secret shown once. The deployment accepts both environments, so that the environment rules are
 * the API's own.
 */
class KeyManagementApiTest {

  private static final InMemoryKeyStore STORE = new InMemoryKeyStore();
  private static final KeyManager ADMIN = new KeyManager(STORE, KeyHasher.sha256());
  private static final List<AuditEvent> EVENTS = new ArrayList<>();
  private static final List<String> LOG = new ArrayList<>();
  private static final List<String> SECRETS = new ArrayList<>();
  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (LOG) {
            LOG.add(new SimpleFormatter().format(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private static StoreKeyValidator validator;
  private static LoopbackJetty app;
  private static HttpProbe probe;

  /** Partner acme's management key, sandbox, with the scopes it may pass on. */
  private static CreatedKey manager;

  private static CreatedKey acmeReader;
  private static CreatedKey acmeProduction;
  private static CreatedKey globexReader;
  private static CreatedKey operator;

  /** The application's one line of opting in: the API at /api-keys. */
  @Path("api-keys")
  public static class ApiKeys extends KeyManagementResource {
    /** The management the test built. */
    public ApiKeys() {
      super(management);
    }
  }

  private static KeyManagement management;

  @BeforeAll
  static void start() throws Exception {
    Logger.getLogger("").addHandler(CAPTURE);
    CAPTURE.setLevel(Level.ALL);
    manager =
        seed(
            "acme-health",
            Environment.SANDBOX,
            "orders:read",
            "orders:write",
            KeyManagement.MANAGE_SCOPE);
    acmeReader = seed("acme-health", Environment.SANDBOX, "orders:read");
    acmeProduction = seed("acme-health", Environment.PRODUCTION, "orders:read");
    globexReader = seed("globex", Environment.SANDBOX, "orders:read");
    operator = seed("nimbus-ops", Environment.SANDBOX, KeyManagement.OPERATOR_SCOPE);
    AuditSink recording =
        event -> {
          synchronized (EVENTS) {
            EVENTS.add(event);
          }
        };
    management =
        KeyManagement.over(STORE)
            .audit(new UsageAuditSink(recording, KeyUsageHistory.shared()))
            .build();
    validator = StoreKeyValidator.over(STORE).build();
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .requireHttps(false)
            .throttle(0, 60)
            .auditSink(UsageAuditSink.class.getName())
            .build();
    app =
        ServletJerseyApp.start(
            new ResourceConfig(ApiKeys.class, OrdersResource.class)
                .register(new NimbusAuthFeature(validator, config)));
    probe = HttpProbe.plain(app::baseUri);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    validator.close();
    Logger.getLogger("").removeHandler(CAPTURE);
    String everything;
    synchronized (LOG) {
      everything = String.join("", LOG);
    }
    assertTrue(
        everything.contains("\"reason\":\"AUTHENTICATED\""),
        "the capture saw no audit line: is it capturing?");
    for (String secret : SECRETS) {
      assertFalse(everything.contains(secret), "a key's secret reached the log");
      assertFalse(
          everything.contains(HexFormat.of().formatHex(KeyHasher.sha256().hash(secret))),
          "a key's hash reached the log");
    }
  }

  @BeforeEach
  void forgetEvents() {
    synchronized (EVENTS) {
      EVENTS.clear();
    }
  }

  // --- what a keys:manage key may do
  // -----------------------------------------------------------------------

  @Test
  void listsTheCallersOwnKeysInItsOwnEnvironmentAndNeverAHash() {
    Reply reply = send("GET", "api-keys", manager, null);
    assertOk(reply);
    assertEquals("no-store", reply.header("Cache-Control").orElse(""));
    Map<String, Object> body = json(reply);
    List<String> ids = ids(body);
    assertTrue(ids.contains(manager.record().keyId()));
    assertTrue(ids.contains(acmeReader.record().keyId()));
    assertFalse(ids.contains(acmeProduction.record().keyId()), "another environment's key");
    assertFalse(ids.contains(globexReader.record().keyId()), "another owner's key");
    assertFalse(ids.contains(operator.record().keyId()), "another owner's key");
    for (CreatedKey key : List.of(manager, acmeReader, acmeProduction, globexReader, operator)) {
      assertFalse(reply.body().contains(key.record().hashHex()), "a hash in the listing");
      assertFalse(reply.body().contains(key.key()), "a secret in the listing");
    }
    Map<String, Object> reader = keyById(body, acmeReader.record().keyId());
    assertEquals(acmeReader.key().substring(acmeReader.key().length() - 4), reader.get("last4"));
    assertEquals("active", reader.get("state"));
    assertEquals(
        List.of(
            "id",
            "owner",
            "environment",
            "scopes",
            "last4",
            "createdAt",
            "lastUsedAt",
            "expiresAt",
            "revokedAt",
            "state",
            "sunset",
            "successor"),
        new ArrayList<>(reader.keySet()));
    @SuppressWarnings("unchecked")
    Map<String, Object> caller = (Map<String, Object>) body.get("caller");
    assertEquals(List.of("orders:read", "orders:write"), caller.get("grantableScopes"));
    assertEquals(false, caller.get("operator"));
  }

  @Test
  void createsAKeyWhoseSecretIsInThatOneNoStoreResponseOnly() {
    Reply reply = create(manager, "{\"scopes\":[\"orders:read\"],\"environment\":\"sandbox\"}");
    assertEquals(201, reply.status(), reply::toString);
    assertEquals("no-store", reply.header("Cache-Control").orElse(""));
    assertTrue(
        reply.header("Content-Type").orElse("").startsWith("application/json"), reply::toString);
    Map<String, Object> body = json(reply);
    String secret = (String) body.get("key");
    SECRETS.add(secret);
    assertTrue(secret.startsWith("sk_test_"), "a sandbox key");
    @SuppressWarnings("unchecked")
    Map<String, Object> record = (Map<String, Object>) body.get("record");
    assertEquals("acme-health", record.get("owner"));
    assertEquals(secret.substring(secret.length() - 4), record.get("last4"));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", secret)));
    Reply listing = send("GET", "api-keys", manager, null);
    assertTrue(ids(json(listing)).contains(record.get("id")));
    assertFalse(listing.body().contains(secret), "the secret is never retrievable again");
    AuditEvent event = only("KEY_CREATE");
    assertEquals(manager.record().keyId(), event.keyId(), "the actor");
    assertEquals("/api-keys/" + record.get("id"), event.path(), "the target");
    assertEquals("allowed", event.outcome());
    assertEquals(201, event.status());
    assertFalse(event.toJson().contains(secret));
  }

  @Test
  void aManagerRotatesItsOwnKeysTheOldOneAnsweringWithSunsetUntilTheGraceEnds() {
    CreatedKey old = seed("acme-health", Environment.SANDBOX, "orders:read");
    Reply reply =
        send("POST", "api-keys/" + old.record().keyId() + "/rotate", manager, "{\"graceHours\":2}");
    assertEquals(201, reply.status(), reply::toString);
    Map<String, Object> body = json(reply);
    String fresh = (String) body.get("key");
    SECRETS.add(fresh);
    assertEquals(old.record().keyId(), body.get("replaces"));
    Reply oldCall = probe.send(probe.get("orders").header("X-API-Key", old.key()));
    assertOk(oldCall);
    assertTrue(oldCall.header("Sunset").isPresent(), "the old key announces its end");
    assertOk(probe.send(probe.get("orders").header("X-API-Key", fresh)));
    Map<String, Object> listed =
        keyById(json(send("GET", "api-keys", manager, null)), old.record().keyId());
    assertEquals("rotating", listed.get("state"));
    assertNotNull(listed.get("sunset"));
    @SuppressWarnings("unchecked")
    Map<String, Object> record = (Map<String, Object>) body.get("record");
    assertEquals(record.get("id"), listed.get("successor"));
    Instant sunset = Instant.parse((String) listed.get("sunset"));
    assertTrue(
        sunset.isAfter(Instant.now().plus(Duration.ofMinutes(119)))
            && sunset.isBefore(Instant.now().plus(Duration.ofMinutes(121))));
    assertError(
        send("POST", "api-keys/" + old.record().keyId() + "/rotate", manager, null),
        409,
        "conflict",
        "Key is rotating: only an active key can be rotated; rotate "
            + record.get("id")
            + " instead");
    List<AuditEvent> rotations = events("KEY_ROTATE");
    assertEquals(
        List.of(
            "allowed /api-keys/" + old.record().keyId() + " 201",
            "denied /api-keys/" + old.record().keyId() + " 409"),
        rotations.stream().map(e -> e.outcome() + " " + e.path() + " " + e.status()).toList());
    assertEquals(
        "/api-keys/" + record.get("id"),
        only("KEY_CREATE").path(),
        "the new key is an audited creation too");
  }

  @Test
  void aRevokedKeyIsRefusedFromTheVeryNextRequest() {
    CreatedKey doomed = seed("acme-health", Environment.SANDBOX, "orders:read");
    assertOk(probe.send(probe.get("orders").header("X-API-Key", doomed.key())));
    Reply reply = send("POST", "api-keys/" + doomed.record().keyId() + "/revoke", manager, null);
    assertOk(reply);
    assertEquals("revoked", json(reply).get("state"));
    assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", doomed.key())));
    AuditEvent event = only("KEY_REVOKE");
    assertEquals(manager.record().keyId(), event.keyId());
    assertEquals("/api-keys/" + doomed.record().keyId(), event.path());
    assertEquals("POST", event.method());
  }

  @Test
  void aManagerMayRotateAndRevokeItself() {
    CreatedKey self =
        seed("acme-health", Environment.SANDBOX, "orders:read", KeyManagement.MANAGE_SCOPE);
    Reply rotated =
        send("POST", "api-keys/" + self.record().keyId() + "/rotate", self, "{\"graceHours\":0}");
    assertEquals(201, rotated.status(), rotated::toString);
    SECRETS.add((String) json(rotated).get("key"));
    CreatedKey other = seed("acme-health", Environment.SANDBOX, KeyManagement.MANAGE_SCOPE);
    assertOk(send("POST", "api-keys/" + other.record().keyId() + "/revoke", other, null));
    assertUnauthorized(send("GET", "api-keys", other, null));
  }

  @Test
  void usageCountsRequestsRefusalsAndNewNetworksPerHour() {
    CreatedKey busy = seed("acme-health", Environment.SANDBOX, "orders:read");
    for (int i = 0; i < 3; i++) {
      assertOk(probe.send(probe.get("orders").header("X-API-Key", busy.key())));
    }
    assertForbidden(probe.send(probe.post("orders", "").header("X-API-Key", busy.key())));
    Reply reply = send("GET", "api-keys/" + busy.record().keyId() + "/usage?days=1", manager, null);
    assertOk(reply);
    Map<String, Object> body = json(reply);
    assertEquals(24L, body.get("hours"));
    @SuppressWarnings("unchecked")
    List<Object> requests = (List<Object>) body.get("requests");
    assertEquals(24, requests.size());
    // The POST its scopes do not cover is a refusal of this key: the audit event names it.
    assertEquals(Map.of("requests", 3L, "refusals", 1L, "newNetworks", 1L), body.get("totals"));
    assertEquals(3L, requests.get(23), "this hour is the last one");
    assertError(
        send("GET", "api-keys/" + busy.record().keyId() + "/usage?days=8", manager, null),
        400,
        "bad_request",
        "days: 1 to 7");
  }

  // --- the escalations a keys:manage key may not make
  // ------------------------------------------------------

  @Test
  void aManagerCannotGrantAScopeItDoesNotHold() {
    assertForbidden(create(manager, "{\"scopes\":[\"orders:read\",\"patients:read\"]}"));
    assertDenied("KEY_CREATE", "/api-keys", 403);
  }

  @Test
  void aManagerCannotGrantKeysManageNorTheOperatorScope() {
    assertForbidden(create(manager, "{\"scopes\":[\"keys:manage\"]}"));
    assertForbidden(create(manager, "{\"scopes\":[\"orders:read\",\"nimbus:admin\"]}"));
    assertEquals(
        2, events("KEY_CREATE").stream().filter(e -> e.outcome().equals("denied")).count());
  }

  @Test
  void aSandboxKeyNeverCreatesAProductionKey() {
    assertForbidden(
        create(manager, "{\"scopes\":[\"orders:read\"],\"environment\":\"production\"}"));
    assertForbidden(
        create(
            operator,
            "{\"scopes\":[\"orders:read\"],\"environment\":\"production\",\"owner\":\"acme-health\"}"));
  }

  @Test
  void aManagerCannotCreateKeysForAnotherOwner() {
    assertForbidden(create(manager, "{\"scopes\":[\"orders:read\"],\"owner\":\"globex\"}"));
  }

  @Test
  void anotherOwnersKeyIsAnsweredAsUnknownAndKeepsWorking() {
    String id = globexReader.record().keyId();
    assertNotFound(send("POST", "api-keys/" + id + "/revoke", manager, null));
    assertNotFound(send("POST", "api-keys/" + id + "/rotate", manager, null));
    assertNotFound(send("GET", "api-keys/" + id + "/usage", manager, null));
    assertNotFound(send("POST", "api-keys/key_0000000000000000/revoke", manager, null));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", globexReader.key())));
    assertDenied("KEY_REVOKE", "/api-keys/" + id, 404);
  }

  @Test
  void theOwnersKeyOfTheOtherEnvironmentIsAnsweredAsUnknown() {
    assertNotFound(
        send("POST", "api-keys/" + acmeProduction.record().keyId() + "/revoke", manager, null));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", acmeProduction.key())));
  }

  @Test
  void aManagerCannotRevokeAnOperatorKey() {
    assertNotFound(
        send("POST", "api-keys/" + operator.record().keyId() + "/revoke", manager, null));
    CreatedKey ownOperator = seed("acme-health", Environment.SANDBOX, KeyManagement.OPERATOR_SCOPE);
    assertForbidden(
        send("POST", "api-keys/" + ownOperator.record().keyId() + "/revoke", manager, null));
    assertOk(send("GET", "api-keys", operator, null));
    assertOk(send("GET", "api-keys", ownOperator, null));
  }

  @Test
  void aManagerCannotRotateOrRevokeAnotherManagerKey() {
    CreatedKey sibling =
        seed("acme-health", Environment.SANDBOX, "orders:read", KeyManagement.MANAGE_SCOPE);
    assertForbidden(
        send("POST", "api-keys/" + sibling.record().keyId() + "/rotate", manager, null));
    assertForbidden(
        send("POST", "api-keys/" + sibling.record().keyId() + "/revoke", manager, null));
    assertOk(send("GET", "api-keys", sibling, null));
  }

  @Test
  void aManagerCannotCreateAKeyThatOutlivesItself() {
    Instant end = Instant.now().plus(Duration.ofDays(3));
    CreatedKey expiring =
        expiringManager("acme-health", Set.of("orders:read", KeyManagement.MANAGE_SCOPE), end);
    assertForbidden(
        create(
            expiring,
            "{\"scopes\":[\"orders:read\"],\"expiresAt\":\""
                + end.plus(Duration.ofDays(1))
                + "\"}"));
    Reply inherited = create(expiring, "{\"scopes\":[\"orders:read\"]}");
    assertEquals(201, inherited.status(), inherited::toString);
    SECRETS.add((String) json(inherited).get("key"));
    @SuppressWarnings("unchecked")
    Map<String, Object> record = (Map<String, Object>) json(inherited).get("record");
    assertEquals(end.toString(), record.get("expiresAt"));
  }

  @Test
  void aManagerCannotDisableAPartner() {
    assertForbidden(send("POST", "api-keys/owners/acme-health/disable", manager, null));
    assertForbidden(send("POST", "api-keys/owners/globex/disable", manager, null));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", globexReader.key())));
  }

  @Test
  void aKeyWithoutKeysManageIsRefusedAndNoKeyIsUnauthorized() {
    assertForbidden(send("GET", "api-keys", acmeReader, null));
    assertForbidden(create(acmeReader, "{\"scopes\":[\"orders:read\"]}"));
    assertUnauthorized(probe.send(probe.get("api-keys")));
    assertUnauthorized(
        probe.send(
            probe
                .post("api-keys", "{\"scopes\":[\"orders:read\"]}")
                .header("Content-Type", "application/json")));
  }

  @Test
  void malformedRequestsAreRefusedWithTheFieldAtFault() {
    assertError(
        create(manager, "{\"scopes\":\"orders:read\"}"),
        400,
        "bad_request",
        "scopes: an array of strings");
    assertError(
        create(manager, "{\"scopes\":[\"orders:read\"],\"hash\":\"00\"}"),
        400,
        "bad_request",
        "unknown field hash; known: [environment, expiresAt, owner, scopes]");
    assertError(
        create(manager, "{\"scopes\":[]}"),
        400,
        "bad_request",
        "scopes: 1 to 32 scopes, each letters, digits and ':._-', at most 64 characters");
    assertError(
        create(manager, "{\"scopes\":[\"orders:read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}"),
        400,
        "bad_request",
        "expiresAt: must be in the future");
    assertError(
        create(manager, "not json"),
        400,
        "bad_request",
        "body: not JSON (invalid JSON at offset 0: unexpected word)");
  }

  // --- operators
  // -----------------------------------------------------------------------------------------------

  @Test
  void anOperatorActsOnEveryOwnerOfItsEnvironment() {
    List<String> ids = ids(json(send("GET", "api-keys", operator, null)));
    assertTrue(
        ids.contains(globexReader.record().keyId()) && ids.contains(acmeReader.record().keyId()));
    assertFalse(ids.contains(acmeProduction.record().keyId()), "sandbox never reaches production");
    CreatedKey victim = seed("globex", Environment.SANDBOX, "orders:read");
    assertOk(send("POST", "api-keys/" + victim.record().keyId() + "/revoke", operator, null));
    assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", victim.key())));
    Reply made =
        create(operator, "{\"scopes\":[\"orders:read\",\"keys:manage\"],\"owner\":\"globex\"}");
    assertEquals(201, made.status(), made::toString);
    SECRETS.add((String) json(made).get("key"));
    assertForbidden(create(operator, "{\"scopes\":[\"nimbus:admin\"],\"owner\":\"globex\"}"));
    assertNotFound(
        send("POST", "api-keys/" + acmeProduction.record().keyId() + "/revoke", operator, null));
  }

  @Test
  void aProductionOperatorAlsoReachesSandbox() {
    CreatedKey production =
        seed("nimbus-ops", Environment.PRODUCTION, KeyManagement.OPERATOR_SCOPE);
    Reply made =
        create(
            production,
            "{\"scopes\":[\"orders:read\"],\"owner\":\"acme-health\",\"environment\":\"sandbox\"}");
    assertEquals(201, made.status(), made::toString);
    SECRETS.add((String) json(made).get("key"));
    assertTrue(((String) json(made).get("key")).startsWith("sk_test_"));
  }

  @Test
  void anOperatorDisablesAndEnablesAWholePartner() {
    CreatedKey partner = seed("initech", Environment.SANDBOX, "orders:read");
    assertOk(send("POST", "api-keys/owners/initech/disable", operator, null));
    assertUnauthorized(probe.send(probe.get("orders").header("X-API-Key", partner.key())));
    assertEquals(
        "disabled",
        keyById(
                json(send("GET", "api-keys?owner=initech", operator, null)),
                partner.record().keyId())
            .get("state"));
    assertOk(send("POST", "api-keys/owners/initech/enable", operator, null));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", partner.key())));
    assertEquals("/api-keys/owners/initech", events("OWNER_DISABLE").get(0).path());
    assertEquals(operator.record().keyId(), events("OWNER_ENABLE").get(0).keyId());
  }

  // --- the page
  // --------------------------------------------------------------------------------------------------

  @Test
  void servesThePageWithoutAKeyUnderAStrictContentSecurityPolicy() {
    Reply page = probe.send(probe.get("api-keys/page"));
    assertEquals(200, page.status(), page::toString);
    assertEquals(
        KeyManagementPage.CONTENT_SECURITY_POLICY,
        page.header("Content-Security-Policy").orElse(""));
    assertEquals("nosniff", page.header("X-Content-Type-Options").orElse(""));
    assertTrue(page.body().contains("data-api=\"/api-keys\""), "told where its API is");
    assertTrue(page.body().contains("src=\"/api-keys/page/api-keys.js\""));
    assertFalse(page.body().contains("<script>"), "no inline script");
    assertFalse(page.body().matches("(?s).*\\son[a-z]+=.*"), "no inline event handler");
    assertFalse(
        page.body().contains("http://") && !page.body().contains("http://www.w3.org"),
        "nothing from elsewhere");
    Reply script = probe.send(probe.get("api-keys/page/api-keys.js"));
    assertEquals(200, script.status());
    assertTrue(script.header("Content-Type").orElse("").startsWith("text/javascript"));
    assertFalse(
        script.body().contains("localStorage.set") || script.body().contains("document.cookie ="),
        "the key stays in memory");
    assertEquals(404, probe.send(probe.get("api-keys/page/secret.properties")).status());
  }

  // --- helpers
  // ---------------------------------------------------------------------------------------------------

  private static CreatedKey seed(String owner, Environment environment, String... scopes) {
    try {
      return ADMIN.create(owner, environment, Set.of(scopes), null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static CreatedKey expiringManager(String owner, Set<String> scopes, Instant expiresAt) {
    try {
      return ADMIN.create(owner, Environment.SANDBOX, scopes, expiresAt);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Reply create(CreatedKey caller, String body) {
    return send("POST", "api-keys", caller, body);
  }

  private static Reply send(String method, String path, CreatedKey caller, String body) {
    var request =
        method.equals("GET") ? probe.get(path) : probe.post(path, body == null ? "" : body);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return probe.send(request.header("X-API-Key", caller.key()));
  }

  private static void assertNotFound(Reply reply) {
    assertError(reply, 404, "not_found", "No such key");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Reply reply) {
    return (Map<String, Object>) Json.parse(reply.body());
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(Map<String, Object> listing) {
    List<String> ids = new ArrayList<>();
    for (Object key : (List<Object>) listing.get("keys")) {
      ids.add((String) ((Map<String, Object>) key).get("id"));
    }
    return ids;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> keyById(Map<String, Object> listing, String id) {
    for (Object key : (List<Object>) listing.get("keys")) {
      if (id.equals(((Map<String, Object>) key).get("id"))) {
        return (Map<String, Object>) key;
      }
    }
    throw new AssertionError(id + " not listed in " + listing);
  }

  private static List<AuditEvent> events(String action) {
    synchronized (EVENTS) {
      return EVENTS.stream().filter(e -> e.reason().equals(action)).toList();
    }
  }

  private static AuditEvent only(String action) {
    List<AuditEvent> found = events(action);
    assertEquals(1, found.size(), () -> action + " events: " + found);
    return found.get(0);
  }

  private static void assertDenied(String action, String path, int status) {
    AuditEvent denied =
        events(action).stream()
            .filter(e -> e.outcome().equals("denied"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no denied " + action + " event"));
    assertEquals(manager.record().keyId(), denied.keyId(), "the actor");
    assertEquals(path, denied.path(), "the target");
    assertEquals(status, denied.status());
  }
}
