package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The contract on Payara Server (remote: the build starts and stops the domain): {@link
 * Wiring#JAXRS}.
 */
class PayaraJaxrsIT extends ContainerContract {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Wiring.JAXRS.war();
  }

  /**
   * Payara serves MicroProfile OpenAPI: the jar's own config enables the filter that adds Nimbus to
   * it.
   */
  @Test
  void publishesTheApiKeySchemeAndErrorsInTheOpenApiDocument() {
    HttpProbe probe = new HttpProbe(this::baseUri, this::client);
    Reply reply = probe.send(probe.get("openapi").header("Accept", "application/json"));
    assertEquals(200, reply.status(), reply::toString);
    assertTrue(
        reply.body().contains("\"X-API-Key\"") && reply.body().contains("NimbusUnauthorized"),
        reply::toString);
  }
}
