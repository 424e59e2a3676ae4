package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.audit.KeyUsage;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestTrail;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import com.nimbusos.auth.api.internal.StartupLine;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Requires a valid {@code X-API-Key} on every request it is mapped to, and answers refused requests
 * itself with the documented JSON error.
 *
 * <p>Declare it in {@code web.xml} with {@code nimbus.auth.*} init-params, subclass it with
 * {@code @WebFilter}, or register an instance through {@code ServletContext.addFilter}.
 * Configuration is read, first wins, from the filter's init-params, the context-params,
 * MicroProfile Config (when present), then system properties; the validator as {@link
 * ValidatorResolver} describes. A deployment without a validator, or with invalid configuration,
 * fails when the filter starts.
 *
 * <p>Downstream code sees the caller through {@link HttpServletRequest#getUserPrincipal()} (an
 * {@link com.nimbusos.auth.api.ApiKeyPrincipal}), {@link HttpServletRequest#isUserInRole(String)}
 * (the key's scopes) and {@link HttpServletRequest#getAuthType()} ({@value
 * ApiKeyRequest#AUTH_TYPE}). Every response carries {@code X-Request-Id}.
 */
public class ApiKeyFilter implements Filter {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final KeyValidator explicitValidator;
  private final NimbusAuthConfig explicitConfig;
  private volatile StartedEngine runtime;

  /** A filter configured from init-params, context-params and system properties. */
  public ApiKeyFilter() {
    this(null, null);
  }

  /**
   * A filter with a validator and configuration given in code, for {@code
   * ServletContext.addFilter}.
   *
   * @param validator the validator, or {@code null} to resolve one from configuration
   * @param config the configuration, or {@code null} to read it from init-params and properties
   */
  public ApiKeyFilter(KeyValidator validator, NimbusAuthConfig config) {
    this.explicitValidator = validator;
    this.explicitConfig = config;
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    try {
      StartedEngine started =
          StartedEngine.start(
              explicitValidator,
              explicitConfig,
              explicitConfig != null ? List.of() : sources(filterConfig),
              classLoader(filterConfig.getServletContext()),
              () -> filterConfig.getServletContext().getContextPath());
      runtime = started;
      // Per-key request counts, for the application to watch for spikes (see KeyUsage).
      filterConfig
          .getServletContext()
          .setAttribute(KeyUsage.class.getName(), started.engine().keyUsage());
      // Once per application: StartupCheck announced it at deployment unless the filter was
      // configured in code.
      StartupLine.announce(
          "servlet filter '" + filterConfig.getFilterName() + "'", started.describe());
    } catch (ConfigurationException e) {
      LOG.log(Level.ERROR, "Nimbus Auth cannot start: " + e.getMessage());
      throw new ServletException("Nimbus Auth: " + e.getMessage(), e);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest httpRequest)
        || !(response instanceof HttpServletResponse httpResponse)) {
      throw new ServletException("Nimbus Auth protects HTTP requests only");
    }
    StartedEngine started = runtime;
    if (started == null) {
      throw new ServletException("Nimbus Auth filter used before init() or after destroy()");
    }
    AuthenticationEngine current = started.engine();
    RequestTrail earlier =
        httpRequest.getAttribute(RequestAttributes.TRAIL) instanceof RequestTrail t ? t : null;
    boolean first = earlier == null;
    Decision decision = reuseOrDecide(httpRequest, httpResponse, current, earlier);
    RequestTrail trail =
        first ? (RequestTrail) httpRequest.getAttribute(RequestAttributes.TRAIL) : earlier;
    if (!decision.allowed()) {
      started.errors().write(httpResponse, current.response(decision));
      if (first) {
        trail.complete(httpResponse.getStatus());
      }
      return;
    }
    current.successHeaders(decision, httpResponse::setHeader);
    boolean failed = true;
    try {
      chain.doFilter(
          decision instanceof Decision.Authenticated authenticated
              ? new ApiKeyRequest(httpRequest, authenticated.caller())
              : httpRequest,
          response);
      failed = false;
    } finally {
      if (first) {
        completeWhenDone(httpRequest, httpResponse, trail, failed);
      }
    }
  }

  /**
   * Records the request's completion when the request is done: now, or, for an asynchronous
   * request, when its async cycle ends. An exception thrown through the filter ends as a 500 the
   * container writes later.
   */
  private static void completeWhenDone(
      HttpServletRequest request,
      HttpServletResponse response,
      RequestTrail trail,
      boolean failed) {
    if (!failed && request.isAsyncStarted()) {
      request
          .getAsyncContext()
          .addListener(
              new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                  trail.complete(response.getStatus());
                }

                @Override
                public void onTimeout(AsyncEvent event) {}

                @Override
                public void onError(AsyncEvent event) {}

                @Override
                public void onStartAsync(AsyncEvent event) {}
              });
      return;
    }
    int status = response.getStatus();
    trail.complete(failed && status < 400 ? 500 : status);
  }

  @Override
  public void destroy() {
    StartedEngine started = runtime;
    runtime = null;
    if (started != null) {
      started.stop();
    }
  }

  /**
   * A request dispatched again keeps the verdict of its first pass: an error page or async
   * continuation as is; a forward or include is checked against the rules of its new path (see
   * {@link AuthenticationEngine#redispatch}), when the filter is mapped to those dispatcher types.
   * Either way the request keeps its one trail, and its one audit event.
   */
  private static Decision reuseOrDecide(
      HttpServletRequest request,
      HttpServletResponse response,
      AuthenticationEngine engine,
      RequestTrail trail) {
    Decision decision;
    ServletAuthRequest authRequest = new ServletAuthRequest(request);
    if (trail != null) {
      DispatcherType type = request.getDispatcherType();
      if (!trail.last().allowed()
          || type != DispatcherType.FORWARD && type != DispatcherType.INCLUDE) {
        return trail.last();
      }
      decision = engine.redispatch(trail, authRequest);
    } else {
      decision = engine.decideAndRecord(authRequest);
      request.setAttribute(RequestAttributes.TRAIL, engine.trail(decision, response::getStatus));
    }
    request.setAttribute(RequestAttributes.DECISION, decision);
    request.setAttribute(
        RequestAttributes.DECIDED_TARGET, AuthenticationEngine.target(authRequest));
    return decision;
  }

  private static List<PropertySource> sources(FilterConfig filterConfig) {
    return ServletConfiguration.sources(
        PropertySource.of(
            filterConfig::getInitParameter,
            () -> ServletConfiguration.names(filterConfig.getInitParameterNames())),
        filterConfig.getServletContext());
  }

  private static ClassLoader classLoader(ServletContext context) {
    return ServletConfiguration.classLoader(context);
  }
}
