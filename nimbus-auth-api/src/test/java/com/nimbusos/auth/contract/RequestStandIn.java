package com.nimbusos.auth.contract;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in, in a Weld SE container, for the {@code HttpServletRequest} bean a Jakarta EE container
 * provides: a request that has only the attributes the test puts in {@link #ATTRIBUTES} (the
 * adapters' verdicts), so that the adapters' CDI producers can be tested without a server.
 */
public class RequestStandIn {

  /** The current request's attributes; clear them after each test. */
  public static final Map<String, Object> ATTRIBUTES = new ConcurrentHashMap<>();

  /** The current request. */
  @Produces
  @Dependent
  HttpServletRequest request() {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            HttpServletRequest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                method.getName().equals("getAttribute") ? ATTRIBUTES.get((String) args[0]) : null);
  }
}
