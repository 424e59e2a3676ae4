package com.nimbusos.auth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * {@code @Inject ApiKeyPrincipal} yields the current request's caller (Weld; the request is a
 * stand-in).
 */
class ApiKeyPrincipalProducerTest {

  static final Map<String, Object> ATTRIBUTES = new HashMap<>();

  /** Stands in for the container's built-in HttpServletRequest bean. */
  public static class RequestBean {
    @Produces
    @Dependent
    HttpServletRequest request() {
      return (HttpServletRequest)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {HttpServletRequest.class},
              (proxy, method, args) ->
                  method.getName().equals("getAttribute")
                      ? ATTRIBUTES.get((String) args[0])
                      : null);
    }
  }

  @Test
  void injectsTheCallerOfTheCurrentRequestAndNullForAnonymousOnes() {
    ApiKeyPrincipal caller =
        new ApiKeyPrincipal("k_1", "acme", Environment.SANDBOX, Set.of("orders:read"), null);
    try (WeldContainer container =
        new Weld()
            .disableDiscovery()
            .addBeanClasses(ApiKeyPrincipalProducer.class, RequestBean.class)
            .initialize()) {
      ATTRIBUTES.put(RequestAttributes.DECISION, new Decision.Authenticated("req_1", caller));
      assertEquals(caller, container.select(ApiKeyPrincipal.class).get());
      ATTRIBUTES.put(RequestAttributes.DECISION, new Decision.Anonymous("req_2"));
      assertNull(container.select(ApiKeyPrincipal.class).get());
    } finally {
      ATTRIBUTES.clear();
    }
  }
}
