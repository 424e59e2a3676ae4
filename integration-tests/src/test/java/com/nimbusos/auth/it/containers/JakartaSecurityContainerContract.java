package com.nimbusos.auth.it.containers;

import static com.nimbusos.auth.contract.ContractAssertions.assertForbidden;
import static com.nimbusos.auth.contract.ContractAssertions.assertOk;
import static com.nimbusos.auth.contract.ContractAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.contract.TestKeys;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link Wiring#JAKARTA_SECURITY} wiring: beyond the whole contract (inherited), that container
 * security itself sees the key's caller, with its scopes as roles, and that the container's own
 * refusals still reach the client as the documented JSON. The app's side is in {@code app.jsec}.
 */
abstract class JakartaSecurityContainerContract extends ContainerContract {

  final HttpProbe probe = new HttpProbe(this::baseUri, this::client, this::observe);

  @Test
  void theServletRequestJakartaSecurityEjbsAndCdiSeeTheKeysPrincipalWithItsScopesAsRoles() {
    Reply read = probe.send(probe.get("servlet/caller").header("X-API-Key", TestKeys.READ));
    assertOk(read);
    assertEquals(
        "servlet caller=acme-health keyId=k_read read=true write=false remoteUser=acme-health authType=API_KEY\n"
            + "jakarta-security caller=acme-health keyId=k_read read=true write=false principalsByType=[k_read]\n"
            + "ejb caller=acme-health keyId=k_read read=true write=false\n"
            + "cdi keyId=k_read",
        read.body());
    Reply write = probe.send(probe.get("servlet/caller").header("X-API-Key", TestKeys.WRITE));
    assertOk(write);
    assertEquals(
        "servlet caller=acme-health keyId=k_write read=true write=true remoteUser=acme-health authType=API_KEY\n"
            + "jakarta-security caller=acme-health keyId=k_write read=true write=true principalsByType=[k_write]\n"
            + "ejb caller=acme-health keyId=k_write read=true write=true\n"
            + "cdi keyId=k_write",
        write.body());
  }

  @Test
  void theRuntimesOwnJaxrsSecurityContextSeesTheCaller() {
    // A JAX-RS application without the Nimbus feature: what the runtime itself makes of the
    // container's caller.
    Reply reply = probe.send(probe.get("container/caller").header("X-API-Key", TestKeys.READ));
    assertOk(reply);
    assertEquals(
        "GET caller=acme-health keyId=k_read authType=API_KEY read=true write=false nimbusJaxrsFilter=false",
        reply.body());
    assertUnauthorized(probe.send(probe.get("container/caller")));
  }

  @Test
  void aWebXmlSecurityConstraintAdmitsAKeyWhoseScopesHoldItsRole() {
    Reply reply = probe.send(probe.get("servlet/write-only").header("X-API-Key", TestKeys.WRITE));
    assertOk(reply);
    assertEquals("write-only caller=acme-health keyId=k_write read=true write=true", reply.body());
  }

  @Test
  void aWebXmlSecurityConstraintRefusesAKeyWithoutItsRoleWithTheDocumentedJson() {
    Reply refused = probe.send(probe.get("servlet/write-only").header("X-API-Key", TestKeys.READ));
    assertForbidden(refused);
    assertUnauthorized(probe.send(probe.get("servlet/write-only")));
    assertUnauthorized(
        probe.send(probe.get("servlet/write-only").header("X-API-Key", TestKeys.UNKNOWN)));
  }

  @Test
  void aPublicPathThatAConstraintGuardsIsRefusedAsWithoutAKey() {
    // Nimbus does not look at keys on public paths, so the container's constraint can never be met
    // there.
    // Without the mechanism's care both servers answer such a request with an empty 200 (measured).
    String path = Wiring.PUBLIC_CONSTRAINED_PATH.substring(1);
    assertUnauthorized(probe.send(probe.get(path)));
    assertUnauthorized(probe.send(probe.get(path).header("X-API-Key", TestKeys.WRITE)));
  }

  @Test
  void anEjbsRolesAllowedAdmitsAKeyWithTheScope() {
    Reply reply = probe.send(probe.post("ledger", "").header("X-API-Key", TestKeys.WRITE));
    assertOk(reply);
    assertEquals(
        "recorded for ejb caller=acme-health keyId=k_write read=true write=true", reply.body());
    Reply fromServlet =
        probe.send(probe.post("servlet/ledger", "").header("X-API-Key", TestKeys.WRITE));
    assertOk(fromServlet);
    assertEquals(
        "recorded for ejb caller=acme-health keyId=k_write read=true write=true",
        fromServlet.body());
  }

  @Test
  void anEjbsRolesAllowedRefusesAKeyWithoutTheScopeWithTheDocumentedJsonThroughJaxrs() {
    // The resource admits any valid key; the EJB container refuses, and the JAX-RS feature maps its
    // exception.
    Reply caller = probe.send(probe.get("ledger").header("X-API-Key", TestKeys.READ));
    assertOk(caller);
    assertEquals("ejb caller=acme-health keyId=k_read read=true write=false", caller.body());
    Reply refused = probe.send(probe.post("ledger", "").header("X-API-Key", TestKeys.READ));
    assertForbidden(refused);
    assertFalse(refused.toString().contains("EJB"), refused::toString);
  }

  @Test
  void anEjbsRolesAllowedRefusesAKeyWithoutTheScopeWithTheDocumentedJsonThroughAServlet() {
    // The servlet lets the EJBAccessException through; the error page maps it.
    Reply refused = probe.send(probe.post("servlet/ledger", "").header("X-API-Key", TestKeys.READ));
    assertForbidden(refused);
    assertFalse(refused.toString().contains("EJB"), refused::toString);
  }

  @Test
  void startsNoSession() {
    Reply reply = probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ));
    assertOk(reply);
    assertEquals(Optional.empty(), reply.header("Set-Cookie"), reply::toString);
  }

  @Test
  void refusesARequestWithALargeBodyWithTheDocumentedJson() {
    // The mechanism reads a refused request's body before completing the response (up to 1 MiB).
    String body = "x".repeat(512 * 1024);
    assertUnauthorized(probe.send(probe.post("orders", body).header("Content-Type", "text/plain")));
    assertOk(probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ)));
  }

  @Test
  void theErrorPageIsNoPageOfItsOwn() {
    Reply reply =
        probe.send(probe.get(Wiring.ERROR_PAGE.substring(1)).header("X-API-Key", TestKeys.READ));
    assertEquals(404, reply.status(), reply::toString);
    assertTrue(reply.header("X-Request-Id").isPresent(), reply::toString);
  }
}
