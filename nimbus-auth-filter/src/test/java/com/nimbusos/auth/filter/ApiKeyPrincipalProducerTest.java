package com.nimbusos.auth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.contract.RequestStandIn;
import java.util.Set;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Inject ApiKeyPrincipal} yields the current request's caller (Weld; the request is a
 * stand-in).
 */
class ApiKeyPrincipalProducerTest {

  @AfterEach
  void clear() {
    RequestStandIn.ATTRIBUTES.clear();
  }

  @Test
  void injectsTheCallerOfTheCurrentRequestAndNullForAnonymousOnes() {
    ApiKeyPrincipal caller =
        new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of("orders:read"), null);
    try (WeldContainer container =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(ApiKeyPrincipalProducer.class, RequestStandIn.class)
            .initialize()) {
      RequestStandIn.ATTRIBUTES.put(
          RequestAttributes.DECISION, new Decision.Authenticated("req_1", caller));
      assertEquals(caller, container.select(ApiKeyPrincipal.class).get());
      RequestStandIn.ATTRIBUTES.put(RequestAttributes.DECISION, new Decision.Anonymous("req_2"));
      assertNull(container.select(ApiKeyPrincipal.class).get());
    }
  }
}
