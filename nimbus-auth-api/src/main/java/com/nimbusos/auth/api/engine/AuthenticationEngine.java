package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.KeyUsage;
import com.nimbusos.auth.api.audit.LoggingAuditSink;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PathPattern;
import com.nimbusos.auth.api.config.ScopeRule;
import com.nimbusos.auth.api.internal.Redaction;
import com.nimbusos.auth.api.metrics.AuthMetrics;
import com.nimbusos.auth.api.metrics.AuthMetrics.ValidationOutcome;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides every request, for every adapter: the request firewall (a target every runtime reads
 * alike, an allowed method), HTTPS policy, CORS preflights, public paths, throttling, the key from
 * {@code X-API-Key}, its environment, expiry and scopes; records the decision in the audit trail;
 * and says what to answer. The servlet filter and the JAX-RS providers only translate HTTP to and
 * from it, so no rule exists twice. Thread-safe.
 *
 * <p>It fails closed: a validator that throws or returns {@code null}, or an audit sink that fails
 * (unless configured otherwise), gives {@code 503}, never a pass.
 */
public final class AuthenticationEngine {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /** IMF-fixdate (RFC 9110), the HTTP-date form {@code Sunset} takes. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final KeyValidator validator;
  private final NimbusAuthConfig config;
  private final AuditSink audit;
  private final AuthMetrics metrics;
  private final boolean timed;
  private final Clock clock;
  private final String wwwAuthenticate;
  private final ClientResolver clients;
  private final FailureThrottle throttle;
  private final RequestFirewall firewall;
  private final String allow;
  private final KeyUsage usage = new KeyUsage();
  private final UsageAnomalies anomalies;
  private volatile boolean metricsFailureLogged;
  private volatile boolean validatorFailing;
  private final String validatorName;

  /** Set while the audit sink fails: its failure is logged once, not at request rate. */
  private final java.util.concurrent.atomic.AtomicBoolean auditFailing =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final java.util.concurrent.atomic.AtomicBoolean completionFailing =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.LongAdder uncompleted =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder unrecorded =
      new java.util.concurrent.atomic.LongAdder();

  /** An engine deciding with {@code validator} under {@code config}, auditing to the log. */
  public AuthenticationEngine(KeyValidator validator, NimbusAuthConfig config) {
    this(validator, config, new LoggingAuditSink(), Clock.systemUTC());
  }

  /** An engine on a given clock, which decides when keys have expired. */
  public AuthenticationEngine(KeyValidator validator, NimbusAuthConfig config, Clock clock) {
    this(validator, config, new LoggingAuditSink(), clock);
  }

  /**
   * An engine with every collaborator given.
   *
   * @param validator decides keys
   * @param config the configuration
   * @param audit receives one event per decision
   * @param clock decides expiry and stamps audit events
   */
  public AuthenticationEngine(
      KeyValidator validator, NimbusAuthConfig config, AuditSink audit, Clock clock) {
    this(validator, config, audit, AuthMetrics.NONE, clock);
  }

  /**
   * An engine with every collaborator given, metrics included.
   *
   * @param validator decides keys
   * @param config the configuration
   * @param audit receives one event per decision
   * @param metrics counts decisions and times validations
   * @param clock decides expiry and stamps audit events
   */
  public AuthenticationEngine(
      KeyValidator validator,
      NimbusAuthConfig config,
      AuditSink audit,
      AuthMetrics metrics,
      Clock clock) {
    this.validator = Objects.requireNonNull(validator, "validator");
    this.validatorName = com.nimbusos.auth.api.internal.CdiBeans.className(validator);
    this.config = Objects.requireNonNull(config, "config");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.timed = metrics != AuthMetrics.NONE; // no clock reads per request when nobody counts
    this.clock = Objects.requireNonNull(clock, "clock");
    this.wwwAuthenticate = "ApiKey realm=\"" + config.realm() + "\"";
    this.clients = new ClientResolver(config.trustedProxies(), config.trustedProxyHeader());
    this.throttle =
        new FailureThrottle(
            config.throttleMaxFailures(),
            config.throttleWindowSeconds(),
            config.throttleMaxClients());
    this.firewall = new RequestFirewall(config.allowedMethods(), config.allowJsessionid());
    this.anomalies =
        new UsageAnomalies(
            config.anomalyRateMultiple(),
            config.anomalyRateMinRequests(),
            config.anomalySprayAddresses());
    this.allow = String.join(", ", new java.util.TreeSet<>(config.allowedMethods()));
  }

  /** The configuration this engine applies. */
  public NimbusAuthConfig config() {
    return config;
  }

  /** Where this engine reports its decisions and validation times. */
  public AuthMetrics metrics() {
    return metrics;
  }

  /** Requests per key since start, for watching usage spikes. */
  public KeyUsage keyUsage() {
    return usage;
  }

  /**
   * Decides one request, for adapters without resource annotations (the servlet filter): the
   * request firewall, HTTPS policy, CORS preflight, public paths, throttling, the key, then the
   * scope rules for its method and path.
   */
  public Decision authenticate(AuthRequest request) {
    return finish(request, evaluate(request, null));
  }

  /**
   * Decides a request to a resource that declares its own access: {@code @PermitAll} resources need
   * no key; the others are authenticated as by {@link #authenticate(AuthRequest)}, then {@linkplain
   * #authorize(Decision, ResourceAccess) authorised}.
   */
  public Decision decide(AuthRequest request, ResourceAccess access) {
    return finish(request, evaluate(request, Objects.requireNonNull(access, "access")));
  }

  /**
   * Decides a request that another adapter decided earlier (the servlet filter in front of JAX-RS),
   * as this adapter sees it: the earlier verdict holds only for the very request it was taken on.
   * The request must pass the firewall as this adapter sees it, and its {@linkplain
   * #target(AuthRequest) target} must be the one decided earlier, else it is refused with {@code
   * 400} ({@link DenialReason#PATH_MISMATCH}): the runtime would serve a request nobody decided.
   * Then the resource's declared access is applied, so an anonymous verdict passes only a
   * {@code @PermitAll} resource or a target the earlier adapter judged public. A verdict this turns
   * into a refusal amends the request's trail (no second audit event).
   *
   * @param trail the earlier adapter's trail of the request
   * @param earlierTarget the {@linkplain #target(AuthRequest) target} the earlier adapter decided,
   *     or {@code null} if it did not say
   * @param access what the resource declares
   * @param request the request as this adapter sees it
   * @return the verdict the request now stands on
   */
  public Decision confirm(
      RequestTrail trail, String earlierTarget, ResourceAccess access, AuthRequest request) {
    Decision earlier = trail.last();
    if (!earlier.allowed()) {
      return earlier;
    }
    Decision.Denied refused = screen(request, earlier.requestId());
    if (refused == null && !target(request).equals(earlierTarget)) {
      refused =
          new Decision.Denied(
              earlier.requestId(), AuthError.BAD_REQUEST, DenialReason.PATH_MISMATCH);
    }
    return amend(trail, refused != null ? refused : authorize(earlier, access));
  }

  /**
   * What identifies the request an adapter decided, for a later adapter to {@linkplain #confirm
   * confirm} it serves the same one: the method ({@code HEAD} as {@code GET}, which serves it) and
   * the raw path.
   */
  public static String target(AuthRequest request) {
    String method = request.method();
    return (method.equals("HEAD") ? "GET" : method) + " " + request.rawPath();
  }

  /**
   * Applies a resource's declared access to the verdict a request's trail stands on (a container's
   * refusal of a request the Jakarta Security mechanism decided, say). A verdict this turns into a
   * refusal amends the trail.
   *
   * @return the verdict the request now stands on
   */
  public Decision authorize(RequestTrail trail, ResourceAccess access) {
    return amend(trail, authorize(trail.last(), access));
  }

  /**
   * Records a refusal taken outside the engine's own checks for a request no adapter started a
   * trail for (a container's refusal reaching the error page of an application whose mechanism
   * never saw the request), as that request's one audit event; it fails closed like any other
   * decision.
   */
  public Decision record(AuthRequest request, Decision.Denied refusal) {
    return finish(request, new Evaluation(refusal, null, clients.resolve(request)));
  }

  /**
   * Starts the trail of a request this adapter has just decided ({@link #authenticate} or {@link
   * #decide} recorded its decision); keep it in the request's attributes so that later adapters
   * amend it and whoever sees the request end {@linkplain #complete completes} it.
   *
   * @param decision the decision just taken
   * @param status the response's current status, where the adapter can tell, else {@code null}
   */
  public RequestTrail trail(Decision decision, java.util.function.IntSupplier status) {
    return new RequestTrail(this, decision, System.nanoTime(), status);
  }

  /**
   * Makes {@code decision} the verdict the request stands on, when it changed: counted in the
   * metrics, and recorded at completion in the request's one audit event.
   *
   * @return {@code decision}
   */
  public Decision amend(RequestTrail trail, Decision decision) {
    if (decision != trail.last()) {
      trail.amend(decision);
      if (timed) {
        count(decision);
      }
    }
    return decision;
  }

  /**
   * Records how the request ended: the status the client received, the time it took, and the
   * verdict it ended on, if that is not the one recorded first. Only the first call per trail
   * records; a sink that fails here is logged, since the client already has its answer.
   *
   * @param trail the request's trail
   * @param status the final response status
   */
  public void complete(RequestTrail trail, int status) {
    if (!trail.markCompleted()) {
      return;
    }
    Decision last = trail.last();
    boolean changed = last != trail.first();
    AuditCompletion completion =
        new AuditCompletion(
            clock.instant(),
            trail.requestId(),
            changed ? outcome(last) : null,
            changed ? reason(last) : null,
            status,
            Math.max(0, (System.nanoTime() - trail.startedNanos()) / 1_000));
    try {
      audit.complete(completion);
      if (completionFailing.get()) {
        completionRecovered();
      }
    } catch (RuntimeException e) {
      completionFailed(trail.requestId(), e);
    }
  }

  /**
   * The response has left: the request cannot be refused any more, so a completion that cannot be
   * recorded is counted and logged once per outage (with its cause), not once per request.
   */
  private void completionFailed(String requestId, RuntimeException e) {
    uncompleted.increment();
    if (completionFailing.compareAndSet(false, true)) {
      LOG.log(
          Level.ERROR,
          "Nimbus Auth could not record the completion (final status) of request "
              + requestId
              + "; completions are not recorded until the audit trail records again (logged once)",
          e);
    }
  }

  private void completionRecovered() {
    if (completionFailing.compareAndSet(true, false)) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail records completions again; "
              + uncompleted.sumThenReset()
              + " request(s) ended meanwhile without their final status in the trail");
    }
  }

  /**
   * Applies a resource's declared access to a verdict, without auditing: a refused verdict stays
   * refused; a caller without a key gets {@code 401}; a key without a required scope, or any caller
   * of a {@code @DenyAll} resource, gets {@code 403}.
   */
  public Decision authorize(Decision decision, ResourceAccess access) {
    if (!decision.allowed()) {
      return decision;
    }
    return switch (access.kind()) {
      case PERMIT_ALL, AUTHENTICATED -> decision;
      case DENY_ALL ->
          decision instanceof Decision.Authenticated
              ? new Decision.Denied(
                  decision.requestId(), AuthError.FORBIDDEN, DenialReason.DENIED_TO_ALL)
              : unauthorized(decision.requestId(), DenialReason.MISSING_KEY);
      case ANY_OF_SCOPES ->
          decision instanceof Decision.Authenticated authenticated
              ? requireAnyScope(authenticated, access.anyOfScopes())
              : unauthorized(decision.requestId(), DenialReason.MISSING_KEY);
    };
  }

  /**
   * Decides a request dispatched again inside the server to another path (a servlet {@code FORWARD}
   * or {@code INCLUDE}): the key already checked is not checked again, but the new path's rules
   * apply, so that a public path cannot forward a caller without a key, or with too few scopes, to
   * a protected one.
   */
  public Decision redispatch(RequestTrail trail, AuthRequest request) {
    Decision earlier = trail.last();
    if (!earlier.allowed()) {
      return earlier;
    }
    if (earlier instanceof Decision.Authenticated authenticated) {
      return amend(trail, authorizeByRules(authenticated, request.method(), request.path()));
    }
    if (isPublic(request.path())) {
      return earlier;
    }
    // A public path forwarding to a protected one: decide that one in full, under the same request
    // id.
    Evaluation evaluation = evaluate(request, null, earlier.requestId());
    account(evaluation, clock.millis(), fingerprintOf(evaluation));
    return amend(trail, evaluation.decision());
  }

  /** Whether {@code path} is one of the configured public paths. */
  public boolean isPublic(String path) {
    for (PathPattern pattern : config.publicPaths()) {
      if (pattern.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Requires the caller to hold at least one of {@code anyOfScopes}; an empty collection admits
   * nobody.
   *
   * @return {@code authenticated} itself, or a {@code 403 forbidden} denial with the same request
   *     id
   */
  public Decision requireAnyScope(
      Decision.Authenticated authenticated, Collection<String> anyOfScopes) {
    if (authenticated.caller().hasAnyScope(anyOfScopes)) {
      return authenticated;
    }
    return new Decision.Denied(
        authenticated.requestId(), AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
  }

  /**
   * Headers for a request that may proceed: {@code X-Request-Id}, and for a key that will expire (a
   * key in its rotation grace period, say) {@code Sunset} with its expiry (RFC 8594), so clients
   * learn in time that it is going away.
   */
  public Map<String, String> successHeaders(Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    successHeaders(decision, headers::put);
    return headers.size() == 1 ? Map.of(NimbusHeaders.REQUEST_ID, decision.requestId()) : headers;
  }

  /**
   * Sets {@linkplain #successHeaders(Decision) the headers of a request that may proceed} through
   * {@code header}, without a map: adapters call this on every request.
   */
  public void successHeaders(
      Decision decision, java.util.function.BiConsumer<String, String> header) {
    header.accept(NimbusHeaders.REQUEST_ID, decision.requestId());
    Instant expiry =
        decision instanceof Decision.Authenticated authenticated
            ? authenticated.caller().expiresAt()
            : null;
    if (expiry != null) {
      header.accept(NimbusHeaders.SUNSET, HTTP_DATE.format(expiry));
    }
  }

  /**
   * What an adapter answers itself for a decision that does not {@linkplain Decision#allowed()
   * proceed}: a refusal's error response, or a CORS preflight's {@code 204}.
   *
   * @throws IllegalArgumentException for a decision that proceeds
   */
  public ErrorResponse response(Decision decision) {
    if (decision instanceof Decision.Denied denied) {
      return errorResponse(denied);
    }
    if (decision instanceof Decision.Preflight preflight) {
      return new ErrorResponse(204, preflight.headers(), null);
    }
    throw new IllegalArgumentException("the application answers " + decision + ", not Nimbus Auth");
  }

  /** The response for a refused request: status, headers and body, identical for every adapter. */
  public ErrorResponse errorResponse(Decision.Denied denied) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    headers.put(NimbusHeaders.REQUEST_ID, denied.requestId());
    if (denied.error() == AuthError.UNAUTHORIZED) {
      headers.put("WWW-Authenticate", wwwAuthenticate);
    }
    if (denied.error() == AuthError.METHOD_NOT_ALLOWED) {
      headers.put("Allow", allow);
    }
    if (denied.error() == AuthError.RATE_LIMITED) {
      headers.put("Retry-After", Long.toString(throttle.retryAfterSeconds()));
    }
    return new ErrorResponse(
        denied.error().status(), headers, ErrorBody.of(denied.error(), denied.requestId()));
  }

  // --- evaluation
  // ------------------------------------------------------------------------------------

  /**
   * A verdict and what the audit needs to know of how it was reached: {@code key} is the
   * well-formed key presented, if any (its digest, computed once, serves the validator and the
   * audit fingerprint); {@code caller} the key accepted before a later check refused the request,
   * so that the refusal names it.
   */
  private record Evaluation(
      Decision decision, PresentedKey key, ClientResolver.Client client, ApiKeyPrincipal caller) {
    Evaluation(Decision decision, PresentedKey key, ClientResolver.Client client) {
      this(decision, key, client, decision.principal().orElse(null));
    }
  }

  private Evaluation evaluate(AuthRequest request, ResourceAccess access) {
    return evaluate(request, access, RequestIds.next());
  }

  private Evaluation evaluate(AuthRequest request, ResourceAccess access, String requestId) {
    ClientResolver.Client client = clients.resolve(request);
    Decision.Denied malformed = screen(request, requestId);
    if (malformed != null) {
      return new Evaluation(malformed, null, client);
    }
    if (config.requireHttps() && !client.secure()) {
      return new Evaluation(
          new Decision.Denied(requestId, AuthError.HTTPS_REQUIRED, DenialReason.HTTPS_REQUIRED),
          null,
          client);
    }
    if (isCorsPreflight(request)) {
      return new Evaluation(preflight(request, requestId), null, client);
    }
    boolean permitAll = access != null && access.kind() == ResourceAccess.Kind.PERMIT_ALL;
    if (permitAll || isPublic(request.path())) {
      Decision anonymous = new Decision.Anonymous(requestId);
      return new Evaluation(
          access == null ? anonymous : authorize(anonymous, access), null, client);
    }
    if (throttle.isBlocked(client.address(), System.nanoTime())) {
      return new Evaluation(
          new Decision.Denied(requestId, AuthError.RATE_LIMITED, DenialReason.RATE_LIMITED),
          null,
          client);
    }
    List<String> values = request.headerValues(NimbusHeaders.API_KEY);
    String presented = values.size() == 1 && values.get(0) != null ? values.get(0).strip() : null;
    PresentedKey key =
        presented != null && !presented.isEmpty() && isWellFormed(presented)
            ? PresentedKey.of(presented)
            : null;
    Decision decision = authenticateKey(requestId, values, presented, key);
    ApiKeyPrincipal caller = decision.principal().orElse(null);
    if (decision instanceof Decision.Authenticated authenticated) {
      decision = authorizeByRules(authenticated, request.method(), request.path());
    }
    if (access != null) {
      decision = authorize(decision, access);
    }
    return new Evaluation(decision, key, client, caller);
  }

  /**
   * The request firewall: a refusal for a method that is not allowed, a raw path that runtimes
   * could read differently, or a raw path that does not decode to the path the runtime routes on;
   * else {@code null}.
   */
  private Decision.Denied screen(AuthRequest request, String requestId) {
    if (!firewall.allowsMethod(request.method())) {
      return new Decision.Denied(
          requestId, AuthError.METHOD_NOT_ALLOWED, DenialReason.METHOD_NOT_ALLOWED);
    }
    DenialReason reason = firewall.check(request.rawPath());
    if (reason == null && !routesAsDecoded(request)) {
      reason = DenialReason.PATH_MISMATCH;
    }
    return reason == null ? null : new Decision.Denied(requestId, AuthError.BAD_REQUEST, reason);
  }

  /**
   * Whether the raw path, decoded, is exactly the base path and the path the runtime routes on:
   * then the rules match what is served. A runtime that normalised something the firewall did not
   * foresee, or that cannot tell its path, fails this.
   */
  private boolean routesAsDecoded(AuthRequest request) {
    try {
      String decoded = firewall.decode(request.rawPath());
      String base = request.basePath();
      String path = request.path();
      return RequestFirewall.equalsConcatenation(decoded, base, path)
          || path.equals("/") && decoded.equals(base);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The answer to a CORS preflight: permission for an allowed origin, {@code 403} for another. */
  private Decision preflight(AuthRequest request, String requestId) {
    String origin = request.headerValues("Origin").get(0).strip();
    boolean anyOrigin = config.corsAllowedOrigins().contains("*");
    if (!anyOrigin && !config.corsAllowedOrigins().contains(origin.toLowerCase(Locale.ROOT))) {
      return new Decision.Denied(
          requestId, AuthError.FORBIDDEN, DenialReason.CORS_ORIGIN_NOT_ALLOWED);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
    if (!anyOrigin) {
      headers.put("Vary", "Origin");
    }
    headers.put("Access-Control-Allow-Methods", allow);
    List<String> asked = request.headerValues("Access-Control-Request-Headers");
    String askedHeaders = asked.isEmpty() ? "" : String.join(", ", asked).strip();
    headers.put(
        "Access-Control-Allow-Headers",
        askedHeaders.matches("[A-Za-z0-9!#$%&'*+.^_`|~ ,-]{1,1024}")
            ? askedHeaders
            : NimbusHeaders.API_KEY);
    headers.put("Access-Control-Max-Age", "600");
    headers.put(NimbusHeaders.REQUEST_ID, requestId);
    return new Decision.Preflight(requestId, headers);
  }

  private boolean isCorsPreflight(AuthRequest request) {
    return config.cors()
        && request.method().equals("OPTIONS")
        && !request.headerValues("Origin").isEmpty()
        && !request.headerValues("Access-Control-Request-Method").isEmpty();
  }

  private Decision authenticateKey(
      String requestId, List<String> values, String raw, PresentedKey key) {
    if (values.size() > 1) {
      return unauthorized(requestId, DenialReason.DUPLICATE_KEY);
    }
    if (raw == null || raw.isEmpty()) {
      return unauthorized(requestId, DenialReason.MISSING_KEY);
    }
    if (key == null) {
      return unauthorized(requestId, DenialReason.MALFORMED);
    }
    ValidationResult result;
    long started = timed ? System.nanoTime() : 0L;
    try {
      result = validator.validate(key);
    } catch (Exception e) {
      timeValidation(ValidationOutcome.FAILED, started);
      Throwable scrubbed = Redaction.scrub(e, raw, key.redacted());
      validatorFailed(
          "could not decide on key "
              + key
              + " in request "
              + requestId
              + "; refused with 503: "
              + scrubbed,
          scrubbed);
      return unavailable(requestId, DenialReason.VALIDATOR_UNAVAILABLE);
    }
    timeValidation(
        result == null
            ? ValidationOutcome.FAILED
            : result instanceof ValidationResult.Valid
                ? ValidationOutcome.VALID
                : ValidationOutcome.INVALID,
        started);
    if (result == null) {
      validatorFailed(
          "returned null for key " + key + " in request " + requestId + "; refused with 503", null);
      return unavailable(requestId, DenialReason.VALIDATOR_UNAVAILABLE);
    }
    if (validatorFailing) {
      validatorFailing = false;
      LOG.log(
          Level.WARNING,
          "KeyValidator " + validatorName + " decides again (request " + requestId + ")");
    }
    if (result instanceof ValidationResult.Invalid invalid) {
      return unauthorized(requestId, DenialReason.of(invalid.reason()));
    }
    ApiKeyPrincipal principal = ((ValidationResult.Valid) result).principal();
    if (config.environment().isPresent() && config.environment().get() != principal.environment()) {
      return unauthorized(requestId, DenialReason.WRONG_ENVIRONMENT);
    }
    if (principal.expiresAt() != null
        && principal.isExpiredAt(clock.instant())) { // no clock read for keys that never expire
      return unauthorized(requestId, DenialReason.EXPIRED);
    }
    return new Decision.Authenticated(requestId, principal);
  }

  /**
   * Logs a validator's failure: one line per refused request, so that each 503 can be traced, and
   * the stack trace only for the first failure of an outage, so that an outage does not bury the
   * log in traces.
   */
  private void validatorFailed(String what, Throwable cause) {
    if (!validatorFailing) {
      validatorFailing = true;
      LOG.log(
          Level.WARNING,
          "KeyValidator "
              + validatorName
              + " "
              + what
              + " (first failure of an outage: one line per request from now on, until it decides again)",
          cause);
    } else {
      LOG.log(Level.WARNING, "KeyValidator " + validatorName + " " + what);
    }
  }

  /**
   * The first scope rule naming the method and path decides; a path that rules name but not for
   * this method is refused unless uncovered methods are open by configuration.
   */
  private Decision authorizeByRules(
      Decision.Authenticated authenticated, String method, String path) {
    boolean pathHasRules = false;
    for (ScopeRule rule : config.scopeRules()) {
      if (rule.path().matches(path)) {
        if (rule.coversMethod(method)) {
          return requireAnyScope(authenticated, rule.anyOfScopes());
        }
        pathHasRules = true;
      }
    }
    return pathHasRules && config.denyUncoveredMethods()
        ? new Decision.Denied(
            authenticated.requestId(), AuthError.FORBIDDEN, DenialReason.UNCOVERED_METHOD)
        : authenticated;
  }

  /**
   * Whether {@code raw} may be a key at all: short enough, and only letters, digits and {@code
   * -._~+/=:}. Checked before hashing so hostile values cost nothing and reach no validator.
   */
  private boolean isWellFormed(String raw) {
    if (raw.length() > config.maxKeyLength()) {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= KEY_CHARACTERS.length || !KEY_CHARACTERS[c]) {
        return false;
      }
    }
    return true;
  }

  /** The characters a key may hold, by code: letters, digits and {@code -._~+/=:}. */
  private static final boolean[] KEY_CHARACTERS = new boolean[128];

  static {
    for (char c = 0; c < KEY_CHARACTERS.length; c++) {
      KEY_CHARACTERS[c] =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "_-.~+/=:".indexOf(c) >= 0;
    }
  }

  // --- audit
  // -------------------------------------------------------------------------------------------

  /** What the accounting of one decision found: a first use from a new network, an anomaly. */
  private record Accounted(boolean newNetwork, String anomaly) {
    static Accounted of(boolean newNetwork, String anomaly) {
      return !newNetwork && anomaly == null
          ? NOTHING_ACCOUNTED
          : new Accounted(newNetwork, anomaly);
    }
  }

  /**
   * Counts a failed key against its client's address, or a key's use from its address, and watches
   * both for anomalies.
   */
  private Accounted account(Evaluation evaluation, long nowMillis, String fingerprint) {
    Decision decision = evaluation.decision();
    String address = evaluation.client().address();
    if (decision instanceof Decision.Authenticated authenticated) {
      String keyId = authenticated.caller().keyId();
      boolean newNetwork = usage.record(keyId, address);
      return Accounted.of(newNetwork, flagged(anomalies.accepted(keyId, nowMillis)));
    }
    if (decision instanceof Decision.Denied denied) {
      if (denied.error() == AuthError.UNAUTHORIZED) {
        throttle.recordFailure(address, System.nanoTime());
      }
      if (fingerprint != null) {
        return Accounted.of(false, flagged(anomalies.refused(fingerprint, address, nowMillis)));
      }
    }
    return NOTHING_ACCOUNTED;
  }

  private static final Accounted NOTHING_ACCOUNTED = new Accounted(false, null);

  private String flagged(String anomaly) {
    if (anomaly != null && timed) {
      try {
        metrics.anomaly(anomaly);
      } catch (RuntimeException | LinkageError e) {
        metricsFailed(e);
      }
    }
    return anomaly;
  }

  /** Counts failures, records the decision, and fails closed if it cannot be recorded. */
  private Decision finish(AuthRequest request, Evaluation evaluation) {
    Decision decision = evaluation.decision();
    String address = evaluation.client().address();
    Instant now =
        clock.instant(); // one reading per decision: the anomaly counters and the event share it
    String fingerprint =
        fingerprintOf(evaluation); // computed once: the spraying watch and the event share it
    Accounted accounted = account(evaluation, now.toEpochMilli(), fingerprint);
    Decision recorded;
    try {
      audit.record(
          event(
              request,
              decision,
              evaluation.caller(),
              evaluation.caller() == null ? fingerprint : null,
              address,
              accounted,
              now));
      recorded = decision;
      if (auditFailing.get()) {
        auditRecovered();
      }
    } catch (RuntimeException e) {
      auditFailed(decision.requestId(), e);
      recorded =
          config.auditFailClosed()
              ? unavailable(decision.requestId(), DenialReason.AUDIT_UNAVAILABLE)
              : decision;
    }
    if (timed) {
      count(recorded);
    }
    return recorded;
  }

  /**
   * Logs the first failure of an outage, with its cause: a full disk or a database that is down
   * must not write one line per request into the log it may share.
   */
  private void auditFailed(String requestId, RuntimeException e) {
    unrecorded.increment();
    if (auditFailing.compareAndSet(false, true)) {
      LOG.log(
          Level.ERROR,
          "Nimbus Auth could not record the audit event of request "
              + requestId
              + (config.auditFailClosed()
                  ? "; it and every request after it are refused with 503 until the audit trail records again"
                  : "; it and every request after it are let through unaudited, as configured, until the audit trail"
                      + " records again")
              + " (logged once)",
          e);
    }
  }

  private void auditRecovered() {
    if (auditFailing.compareAndSet(true, false)) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail records again; "
              + unrecorded.sumThenReset()
              + " request(s)"
              + (config.auditFailClosed() ? " were refused with 503" : " went unaudited")
              + " meanwhile");
    }
  }

  /**
   * Counts the decision; a failing metrics library is logged, never allowed to change the answer.
   */
  private void count(Decision decision) {
    try {
      metrics.decision(outcome(decision), reason(decision));
    } catch (RuntimeException | LinkageError e) {
      metricsFailed(e);
    }
  }

  private void timeValidation(ValidationOutcome outcome, long started) {
    if (timed) {
      try {
        metrics.validation(outcome, System.nanoTime() - started);
      } catch (RuntimeException | LinkageError e) {
        metricsFailed(e);
      }
    }
  }

  private void metricsFailed(Throwable e) {
    if (!metricsFailureLogged) {
      metricsFailureLogged = true; // once: a broken registry must not flood the log at request rate
      LOG.log(
          Level.WARNING,
          "Nimbus Auth metrics "
              + com.nimbusos.auth.api.internal.CdiBeans.className(metrics)
              + " failed; decisions are unaffected",
          e);
    }
  }

  private static String outcome(Decision decision) {
    return decision instanceof Decision.Denied ? "denied" : "allowed";
  }

  private static String reason(Decision decision) {
    if (decision instanceof Decision.Denied denied) {
      return denied.reason().name();
    }
    if (decision instanceof Decision.Preflight) {
      return "CORS_PREFLIGHT";
    }
    return decision instanceof Decision.Authenticated ? "AUTHENTICATED" : "PUBLIC";
  }

  private AuditEvent event(
      AuthRequest request,
      Decision decision,
      ApiKeyPrincipal principal,
      String fingerprint,
      String address,
      Accounted accounted,
      Instant now) {
    String outcome = outcome(decision);
    String reason = reason(decision);
    int status =
        decision instanceof Decision.Denied denied
            ? denied.error().status()
            : decision instanceof Decision.Preflight ? 204 : 0;
    return new AuditEvent(
        now,
        decision.requestId(),
        principal == null ? null : principal.keyId(),
        fingerprint,
        principal == null ? null : principal.owner(),
        principal == null ? null : principal.environment().configName(),
        outcome,
        reason,
        request.clientMethod(),
        request.path(),
        status,
        address,
        accounted.newNetwork(),
        accounted.anomaly());
  }

  /**
   * The fingerprint of a well-formed key that did not authenticate the request, else {@code null}.
   */
  private static String fingerprintOf(Evaluation evaluation) {
    return evaluation.key() != null && !(evaluation.decision() instanceof Decision.Authenticated)
        ? fingerprint(evaluation.key())
        : null;
  }

  /**
   * The first 48 bits of the value's SHA-256: enough to correlate attempts, useless to recover a
   * key.
   */
  private static String fingerprint(PresentedKey presentedKey) {
    return HexFormat.of().formatHex(presentedKey.sha256(), 0, 6);
  }

  private static Decision unauthorized(String requestId, DenialReason reason) {
    return new Decision.Denied(requestId, AuthError.UNAUTHORIZED, reason);
  }

  private static Decision unavailable(String requestId, DenialReason reason) {
    return new Decision.Denied(requestId, AuthError.SERVICE_UNAVAILABLE, reason);
  }
}
