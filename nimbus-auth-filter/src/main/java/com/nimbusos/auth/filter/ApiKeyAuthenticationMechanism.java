package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestTrail;
import com.nimbusos.auth.api.engine.ResourceAccess;
import com.nimbusos.auth.api.internal.CdiBeans;
import com.nimbusos.auth.api.internal.StartupLine;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;

/**
 * Nimbus Auth as a Jakarta Security {@link HttpAuthenticationMechanism}: the same engine,
 * configuration and responses as {@link ApiKeyFilter}, but the caller of an accepted key is handed
 * to the container, so that container security sees it too: {@code
 * HttpServletRequest.getUserPrincipal()} and {@code isUserInRole}, the JAX-RS and Jakarta Security
 * {@code SecurityContext}s, {@code web.xml} security constraints and EJB {@code @RolesAllowed}. The
 * principal is the key's {@link com.nimbusos.auth.api.ApiKeyPrincipal}, its scopes are the caller's
 * groups (roles), and {@code getAuthType()} is {@value #AUTH_TYPE}.
 *
 * <p><b>Opt in</b> by adding one class of your own to the application; having this jar in {@code
 * WEB-INF/lib} activates nothing (this class is not a CDI bean by itself):
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class ApiKeyAuthentication extends ApiKeyAuthenticationMechanism {}
 * }</pre>
 *
 * <p>Configuration is read, first wins, from the servlet context-params, MicroProfile Config (when
 * present), then system properties; the validator and audit sink are found as for the filter. It is
 * read when the application starts (a bad configuration fails the deployment), or else at the first
 * request. A subclass may pass a validator or configuration in code through {@link
 * #ApiKeyAuthenticationMechanism(KeyValidator, NimbusAuthConfig)}; its constructor must do nothing
 * else, since CDI may call it for its proxies.
 *
 * <p>Every request is decided, protected by a constraint or not, except the configured public
 * paths, which proceed with no caller (and are refused as without a key, {@code 401}, if a security
 * constraint guards them too: their keys are not looked at). A refused request gets the documented
 * JSON error, written here, and the container does not touch it. A refusal the container makes
 * itself for an authenticated caller (a {@code web.xml} constraint, an EJB's {@code @RolesAllowed})
 * needs {@link ApiKeyErrorServlet} as the application's error page to get the documented JSON too.
 * Every response of a request decided here carries {@code X-Request-Id}.
 *
 * <p>WildFly needs {@code integrated-jaspi=false} on the application's security domain (else every
 * valid key gets 500); Payara needs nothing.
 */
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

  /** What {@code HttpServletRequest.getAuthType()} returns for a caller authenticated here. */
  public static final String AUTH_TYPE = ApiKeyRequest.AUTH_TYPE;

  /**
   * The Jakarta Authentication message-info key through which the container takes our auth type.
   */
  static final String AUTH_TYPE_KEY = "jakarta.servlet.http.authType";

  /**
   * Servlet-context attribute holding the {@link StartedEngine}, for {@link ApiKeyErrorServlet}.
   */
  static final String RUNTIME_ATTRIBUTE =
      ApiKeyAuthenticationMechanism.class.getName() + ".runtime";

  /**
   * Request attribute holding the path the request was decided on, for {@link ApiKeyErrorServlet}.
   */
  static final String PATH_ATTRIBUTE = ApiKeyAuthenticationMechanism.class.getName() + ".path";

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /**
   * What a security constraint demands of a caller without a key: a key (the container checks its
   * roles).
   */
  private static final ResourceAccess CONSTRAINED = ResourceAccess.anyOf(Set.of());

  private final KeyValidator explicitValidator;
  private final NimbusAuthConfig explicitConfig;
  private volatile StartedEngine runtime;

  /** A mechanism configured from context-params, MicroProfile Config and system properties. */
  public ApiKeyAuthenticationMechanism() {
    this(null, null);
  }

  /**
   * A mechanism with a validator or configuration given in code (by a subclass's no-argument
   * constructor).
   *
   * @param validator the validator, or {@code null} to resolve one from configuration
   * @param config the configuration, or {@code null} to read it from context-params and properties
   */
  protected ApiKeyAuthenticationMechanism(KeyValidator validator, NimbusAuthConfig config) {
    this.explicitValidator = validator;
    this.explicitConfig = config;
  }

  /**
   * Starts when the web application does, so that a bad configuration fails the deployment and the
   * start is logged. CDI calls this on the application's subclass (observer methods are inherited).
   *
   * @param context the application's servlet context
   */
  protected void onApplicationStart(
      @Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    start(context);
  }

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext httpMessageContext)
      throws AuthenticationException {
    StartedEngine started = start(request.getServletContext());
    AuthenticationEngine engine = started.engine();
    Decision decision = decide(engine, request, response, httpMessageContext.isProtected());
    if (!decision.allowed()) {
      try {
        started.errors().writeAndComplete(request, response, engine.response(decision));
      } catch (IOException e) {
        LOG.log(
            Level.DEBUG, "could not send the answer to request " + decision.requestId() + ": " + e);
      }
      ((RequestTrail) request.getAttribute(RequestAttributes.TRAIL)).complete(response.getStatus());
      return AuthenticationStatus.SEND_FAILURE;
    }
    engine.successHeaders(decision, response::setHeader);
    if (decision instanceof Decision.Authenticated authenticated) {
      httpMessageContext.getMessageInfo().getMap().put(AUTH_TYPE_KEY, AUTH_TYPE);
      return httpMessageContext.notifyContainerAboutLogin(
          authenticated.caller(), authenticated.caller().scopes());
    }
    // A public path no constraint guards: it proceeds with no caller.
    return httpMessageContext.doNothing();
  }

  /**
   * The request's verdict, kept in its attributes for the rest of the request ({@code @Inject
   * ApiKeyPrincipal}, the JAX-RS feature, {@link ApiKeyErrorServlet}).
   *
   * @param isProtected whether a security constraint guards the request's resource
   */
  static Decision decide(
      AuthenticationEngine engine,
      HttpServletRequest request,
      HttpServletResponse response,
      boolean isProtected) {
    RequestTrail trail;
    if (request.getAttribute(RequestAttributes.TRAIL) instanceof RequestTrail earlier) {
      // Asked again within the same request (HttpServletRequest.authenticate(), say): the first
      // verdict
      // stands, and is not audited twice.
      trail = earlier;
    } else {
      ServletAuthRequest authRequest = new ServletAuthRequest(request);
      Decision decision = engine.decideAndRecord(authRequest);
      trail = engine.trail(decision, response::getStatus);
      request.setAttribute(RequestAttributes.TRAIL, trail);
      request.setAttribute(RequestAttributes.DECISION, decision);
      request.setAttribute(
          RequestAttributes.DECIDED_TARGET, AuthenticationEngine.target(authRequest));
      request.setAttribute(PATH_ATTRIBUTE, authRequest.path());
    }
    if (trail.last() instanceof Decision.Anonymous && isProtected) {
      // A public path that a security constraint also guards: the container wants a caller, and a
      // public
      // path has none (its key is not even looked at). Measured: given no caller, both servers
      // answer such a
      // request with an empty 200 without running it. Refuse it as a request without a key instead.
      request.setAttribute(
          RequestAttributes.DECISION, engine.authorizeAndRecord(trail, CONSTRAINED));
    }
    return trail.last();
  }

  /** Releases the validator (when created here) when the application stops. */
  @PreDestroy
  protected void onApplicationStop() {
    StartedEngine started;
    synchronized (this) {
      started = runtime;
      runtime = null;
    }
    if (started != null) {
      started.stop();
    }
  }

  private StartedEngine start(ServletContext context) {
    StartedEngine started = runtime;
    if (started != null) {
      return started;
    }
    synchronized (this) {
      if (runtime == null) {
        try {
          runtime =
              StartedEngine.start(
                  explicitValidator,
                  explicitConfig,
                  explicitConfig != null ? List.of() : ServletConfiguration.sources(null, context),
                  ServletConfiguration.classLoader(context),
                  context::getContextPath);
        } catch (ConfigurationException e) {
          LOG.log(Level.ERROR, "Nimbus Auth cannot start: " + e.getMessage());
          throw e;
        }
        context.setAttribute(RUNTIME_ATTRIBUTE, runtime);
        // The class as the application wrote it: CDI may run a generated subclass of it.
        StartupLine.announce(
            "Jakarta Security mechanism "
                + CdiBeans.className(this)
                + " in '"
                + context.getContextPath()
                + "'",
            runtime.describe());
      }
      return runtime;
    }
  }
}
