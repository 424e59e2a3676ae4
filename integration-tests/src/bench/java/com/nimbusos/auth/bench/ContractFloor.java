package com.nimbusos.auth.bench;

import jakarta.annotation.Priority;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The least a filter can do and still keep Nimbus' HTTP contract for a request with a key, in each
 * adapter's API: the floor's lookup (SHA-256, map, constant-time compare), the caller as the
 * request's principal, {@code 401} with the documented headers and JSON body otherwise, and {@code
 * X-Request-Id} on every response (in JAX-RS only a response filter can add it). Nothing else: no
 * request firewall, no audit event or completion, no usage accounting, and a counter where the
 * contract wants 96 unguessable bits. So it is a lower bound, measured in the same run, of what any
 * implementation of the contract costs: a goal below it cannot be met by one.
 */
final class ContractFloor {

  /** The header the request id travels in. */
  static final String REQUEST_ID = "X-Request-Id";

  private static final String ID_PROPERTY = ContractFloor.class.getName() + ".requestId";

  private final Floor.Shared<BenchApps.Caller> keys;
  private final AtomicLong ids = new AtomicLong();

  ContractFloor(Floor.Shared<BenchApps.Caller> keys) {
    this.keys = keys;
  }

  private String nextId() {
    return "req_" + Long.toHexString(ids.incrementAndGet());
  }

  private BenchApps.Caller caller(String key) {
    return key == null ? null : keys.lookup(key);
  }

  private static String body(String requestId) {
    return "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Invalid or missing API key\","
        + "\"requestId\":\""
        + requestId
        + "\"}}";
  }

  /** As a JAX-RS request and response filter. */
  Jaxrs jaxrs() {
    return new Jaxrs(this);
  }

  /** As a servlet filter. */
  Servlet servlet() {
    return new Servlet(this);
  }

  /** The contract floor as JAX-RS filters: the request filter decides, the response one labels. */
  @Priority(Priorities.AUTHENTICATION)
  static final class Jaxrs implements ContainerRequestFilter, ContainerResponseFilter {
    private final ContractFloor floor;

    Jaxrs(ContractFloor floor) {
      this.floor = floor;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      String id = floor.nextId();
      request.setProperty(ID_PROPERTY, id);
      BenchApps.Caller caller = floor.caller(request.getHeaderString(BenchApps.HEADER));
      if (caller == null) {
        request.abortWith(
            Response.status(401)
                .header("WWW-Authenticate", "ApiKey realm=\"nimbus\"")
                .header("Cache-Control", "no-store")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(id))
                .build());
        return;
      }
      boolean secure =
          request.getSecurityContext() != null && request.getSecurityContext().isSecure();
      request.setSecurityContext(new CallerContext(caller, secure));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
      if (request.getProperty(ID_PROPERTY) instanceof String id) {
        response.getHeaders().putSingle(REQUEST_ID, id);
      }
    }
  }

  /** The caller as JAX-RS shows it to resources. */
  private record CallerContext(Principal caller, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "ApiKey";
    }
  }

  /** The contract floor as a servlet filter. */
  static final class Servlet implements Filter {
    private final ContractFloor floor;

    Servlet(ContractFloor floor) {
      this.floor = floor;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest httpRequest = (HttpServletRequest) request;
      HttpServletResponse httpResponse = (HttpServletResponse) response;
      String id = floor.nextId();
      httpResponse.setHeader(REQUEST_ID, id);
      BenchApps.Caller caller = floor.caller(httpRequest.getHeader(BenchApps.HEADER));
      if (caller == null) {
        byte[] body = body(id).getBytes(StandardCharsets.UTF_8);
        httpResponse.setStatus(401);
        httpResponse.setHeader("WWW-Authenticate", "ApiKey realm=\"nimbus\"");
        httpResponse.setHeader("Cache-Control", "no-store");
        httpResponse.setContentType("application/json");
        httpResponse.setContentLength(body.length);
        httpResponse.getOutputStream().write(body);
        return;
      }
      chain.doFilter(
          new HttpServletRequestWrapper(httpRequest) {
            @Override
            public Principal getUserPrincipal() {
              return caller;
            }

            @Override
            public String getAuthType() {
              return "ApiKey";
            }
          },
          response);
    }
  }
}
