package com.nimbusos.auth.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.StartedApp;
import com.nimbusos.auth.contract.TestKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JAX-RS feature alone keeps one audit event per request, completed with the status the client
 * got: refusals by exception mappers and answers the runtime gives by itself (no resource, no
 * method) included, so that every {@code X-Request-Id} a client receives names an event.
 */
class JaxrsAuditTrailTest {

  /** Records both parts of each request's event. */
  public static final class Trail implements AuditSink {
    static final List<AuditEvent> EVENTS = new CopyOnWriteArrayList<>();
    static final List<AuditCompletion> COMPLETIONS = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
      EVENTS.add(event);
    }

    @Override
    public void complete(AuditCompletion completion) {
      COMPLETIONS.add(completion);
    }
  }

  @RegisterExtension
  static final StartedApp<JerseyApp> APP =
      StartedApp.of(
          () -> {
            Map<String, Object> properties = new HashMap<>(ContractApp.PROPERTIES);
            properties.put("nimbus.auth.audit.sink", Trail.class.getName());
            return JerseyApp.start(
                new ResourceConfig(
                        OrdersResource.class, EdgeResource.class, NimbusAuthFeature.class)
                    .addProperties(properties));
          });

  private final HttpProbe probe = HttpProbe.plain(APP::baseUri);

  @BeforeEach
  void clear() {
    Trail.EVENTS.clear();
    Trail.COMPLETIONS.clear();
  }

  /** The one event and one completion of the reply's request. */
  private static AuditCompletion oneEventAndCompletion(Reply reply) {
    String id = reply.header("X-Request-Id").orElseThrow();
    assertEquals(
        List.of(id),
        Trail.EVENTS.stream().map(AuditEvent::requestId).toList(),
        Trail.EVENTS::toString);
    assertEquals(
        List.of(id),
        Trail.COMPLETIONS.stream().map(AuditCompletion::requestId).toList(),
        Trail.COMPLETIONS::toString);
    return Trail.COMPLETIONS.get(0);
  }

  @Test
  void completesAServedRequestWithItsStatus() {
    Reply reply = probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ));
    assertEquals(200, reply.status(), reply::toString);
    AuditCompletion completion = oneEventAndCompletion(reply);
    assertEquals(200, completion.status());
    assertNull(completion.outcome(), "the verdict did not change");
  }

  @Test
  void recordsARefusalByAnExceptionMapperInTheRequestsOneEvent() {
    Reply reply = probe.send(probe.get("edge/throws-forbidden").header("X-API-Key", TestKeys.READ));
    assertEquals(403, reply.status(), reply::toString);
    AuditCompletion completion = oneEventAndCompletion(reply);
    assertEquals("allowed", Trail.EVENTS.get(0).outcome(), "the key was good");
    assertEquals("denied", completion.outcome(), "the application refused it");
    assertEquals(403, completion.status());
  }

  @Test
  void auditsAnswersTheRuntimeGivesByItself() {
    Reply unknownPath =
        probe.send(probe.get("no/such/resource").header("X-API-Key", TestKeys.READ));
    assertEquals(404, unknownPath.status(), unknownPath::toString);
    assertEquals(404, oneEventAndCompletion(unknownPath).status());
    clear();
    Reply unknownMethod =
        probe.send(
            probe
                .get("orders")
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("X-API-Key", TestKeys.READ));
    assertEquals(405, unknownMethod.status(), unknownMethod::toString);
    assertEquals(405, oneEventAndCompletion(unknownMethod).status());
    clear();
    Reply keyless = probe.send(probe.get("no/such/resource"));
    assertEquals(
        401, keyless.status(), "an unknown path tells a caller without a key nothing: " + keyless);
    assertEquals(401, oneEventAndCompletion(keyless).status());
  }

  @Test
  void auditsAHeadAsTheClientSentItThoughJerseyServesItWithTheGetMethod() {
    Reply reply =
        probe.send(
            probe
                .get("orders")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("X-API-Key", TestKeys.READ));
    assertEquals(200, reply.status(), reply::toString);
    assertEquals(200, oneEventAndCompletion(reply).status());
    assertEquals("HEAD", Trail.EVENTS.get(0).method());
  }
}
