package com.nimbusos.auth.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.contract.RequestStandIn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Set;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Inject ApiKeyPrincipal} with this jar alone, and with the servlet jar's producer beside
 * it, as in every application that deploys both jars (Weld; the request is a stand-in). Each jar
 * ships a producer because each must work alone; this one is an enabled alternative so that the two
 * together stay unambiguous.
 */
class JaxrsApiKeyPrincipalProducerTest {

  private static final ApiKeyPrincipal CALLER =
      new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of("orders:read"), null);

  /**
   * Stands in for the servlet jar's producer (not on this module's class path): a plain producer of
   * the same type, answering a caller of its own so that the test sees which one was chosen.
   */
  @ApplicationScoped
  public static class ServletJarProducer {
    @Produces
    @Dependent
    ApiKeyPrincipal currentCaller() {
      return new ApiKeyPrincipal("k_servlet_jar", "other", Environment.SANDBOX, Set.of(), null);
    }
  }

  @AfterEach
  void clear() {
    RequestStandIn.ATTRIBUTES.clear();
  }

  @Test
  void aloneInjectsTheCallerEitherAdapterDecidedAndNullForAnonymousOnes() {
    try (WeldContainer container = container(JaxrsApiKeyPrincipalProducer.class)) {
      RequestStandIn.ATTRIBUTES.put(
          RequestAttributes.JAXRS_DECISION, new Decision.Authenticated("req_1", CALLER));
      assertEquals(CALLER, container.select(ApiKeyPrincipal.class).get());
      RequestStandIn.ATTRIBUTES.clear();
      RequestStandIn.ATTRIBUTES.put(
          RequestAttributes.DECISION, new Decision.Authenticated("req_2", CALLER));
      assertEquals(CALLER, container.select(ApiKeyPrincipal.class).get(), "the filter's verdict");
      RequestStandIn.ATTRIBUTES.put(
          RequestAttributes.JAXRS_DECISION, new Decision.Anonymous("req_2"));
      assertNull(container.select(ApiKeyPrincipal.class).get());
    }
  }

  @Test
  void withTheServletJarsProducerBesideItInjectionIsUnambiguousAndThisOneAnswers() {
    try (WeldContainer container =
        container(JaxrsApiKeyPrincipalProducer.class, ServletJarProducer.class)) {
      RequestStandIn.ATTRIBUTES.put(
          RequestAttributes.DECISION, new Decision.Authenticated("req_1", CALLER));
      Instance<ApiKeyPrincipal> injected = container.select(ApiKeyPrincipal.class);
      assertTrue(injected.isResolvable(), "ambiguous or unsatisfied");
      assertEquals(CALLER, injected.get());
    }
  }

  private static WeldContainer container(Class<?>... producers) {
    return new Weld()
        .disableDiscovery()
        .addBeanClasses(producers)
        .addBeanClass(RequestStandIn.class)
        .initialize();
  }
}
