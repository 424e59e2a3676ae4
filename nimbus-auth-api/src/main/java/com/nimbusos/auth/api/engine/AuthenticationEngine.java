package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides every request, for every adapter: the request firewall (a target every runtime reads
 * alike, an allowed method), HTTPS policy, CORS preflights, public paths, throttling, the key from
 * {@code X-API-Key}, its environment, expiry and scopes; has its {@code DecisionRecorder} record
 * the decision (audit trail, throttle and usage accounting, metrics); and says what to answer. The
 * servlet filter and the JAX-RS providers only translate HTTP to and from it, so no rule exists
 * twice. Thread-safe.
 *
 * <p>What records: {@link #decideAndRecord} and {@link #record} (the request's audit event), and
 * whatever amends a request's trail ({@link #authorizeAndRecord}, {@link #confirm}, {@link
 * #redispatch}, {@link #amend}: counted at once, in that event at {@linkplain #complete
 * completion}). {@link #authorizeWithoutRecording} and the other methods record nothing.
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
  private final MetricsRecorder metrics;
  private final DecisionRecorder recorder;
  private final Clock clock;
  private final String wwwAuthenticate;
  private final ClientResolver clients;
  private final FailureThrottle throttle;
  private final RequestFirewall firewall;
  private final String allow;
  private final KeyUsage usage = new KeyUsage();
  private volatile boolean validatorFailing;
  private final String validatorName;

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
    Objects.requireNonNull(audit, "audit");
    this.metrics = new MetricsRecorder(Objects.requireNonNull(metrics, "metrics"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.wwwAuthenticate = "ApiKey realm=\"" + config.realm() + "\"";
    this.clients = new ClientResolver(config.trustedProxies(), config.trustedProxyHeader());
    this.throttle =
        new FailureThrottle(
            config.throttleMaxFailures(),
            config.throttleWindowSeconds(),
            config.throttleMaxClients());
    this.firewall = new RequestFirewall(config.allowedMethods(), config.allowJsessionid());
    UsageAnomalies anomalies =
        new UsageAnomalies(
            config.anomalyRateMultiple(),
            config.anomalyRateMinRequests(),
            config.anomalySprayAddresses());
    this.recorder =
        new DecisionRecorder(
            audit,
            this.metrics,
            new UsageAccounting(throttle, usage, anomalies, this.metrics),
            clock,
            config.auditFailClosed());
    this.allow = String.join(", ", new java.util.TreeSet<>(config.allowedMethods()));
  }

  /** The configuration this engine applies. */
  public NimbusAuthConfig config() {
    return config;
  }

  /** Where this engine reports its decisions and validation times. */
  public AuthMetrics metrics() {
    return metrics.metrics();
  }

  /** Requests per key since start, for watching usage spikes. */
  public KeyUsage keyUsage() {
    return usage;
  }

  /**
   * Decides one request, for adapters without resource annotations (the servlet filter), and
   * records the decision as the request's audit event: the request firewall, HTTPS policy, CORS
   * preflight, public paths, throttling, the key, then the scope rules for its method and path.
   *
   * @return the decision, or a {@code 503} refusal if it could not be recorded and the audit fails
   *     closed
   */
  public Decision decideAndRecord(AuthRequest request) {
    return recorder.record(request, evaluate(request, null));
  }

  /**
   * Decides a request to a resource that declares its own access, and records the decision as the
   * request's audit event: {@code @PermitAll} resources need no key; the others are decided as by
   * {@link #decideAndRecord(AuthRequest)}, then {@linkplain #authorizeWithoutRecording authorised}
   * by {@code access}.
   *
   * @return the decision, or a {@code 503} refusal if it could not be recorded and the audit fails
   *     closed
   */
  public Decision decideAndRecord(AuthRequest request, ResourceAccess access) {
    return recorder.record(request, evaluate(request, Objects.requireNonNull(access, "access")));
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
    return amend(trail, refused != null ? refused : authorizeWithoutRecording(earlier, access));
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
   * refusal of a request the Jakarta Security mechanism decided, say), and records the outcome: a
   * verdict this turns into a refusal {@linkplain #amend amends} the trail (counted now, in the
   * request's one audit event at completion).
   *
   * @return the verdict the request now stands on
   */
  public Decision authorizeAndRecord(RequestTrail trail, ResourceAccess access) {
    return amend(trail, authorizeWithoutRecording(trail.last(), access));
  }

  /**
   * Records a refusal taken outside the engine's own checks for a request no adapter started a
   * trail for (a container's refusal reaching the error page of an application whose mechanism
   * never saw the request), as that request's one audit event; it fails closed like any other
   * decision.
   */
  public Decision record(AuthRequest request, Decision.Denied refusal) {
    return recorder.record(request, new Evaluation(refusal, null, clients.resolve(request)));
  }

  /**
   * Starts the trail of a request this adapter has just decided ({@link #decideAndRecord} recorded
   * its decision); keep it in the request's attributes so that later adapters amend it and whoever
   * sees the request end {@linkplain #complete completes} it.
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
      recorder.amended(decision);
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
    recorder.complete(trail, status);
  }

  /**
   * Applies a resource's declared access to a verdict, recording nothing (no audit event, no
   * count): a refused verdict stays refused; a caller without a key gets {@code 401}; a key without
   * a required scope, or any caller of a {@code @DenyAll} resource, gets {@code 403}. To make the
   * result the verdict a request stands on, {@link #authorizeAndRecord} its trail instead.
   */
  public Decision authorizeWithoutRecording(Decision decision, ResourceAccess access) {
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
    recorder.account(evaluation);
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
          access == null ? anonymous : authorizeWithoutRecording(anonymous, access), null, client);
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
      decision = authorizeWithoutRecording(decision, access);
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
    long started = metrics.validationStart();
    try {
      result = validator.validate(key);
    } catch (Exception e) {
      metrics.validation(ValidationOutcome.FAILED, started);
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
    metrics.validation(
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

  private static Decision unauthorized(String requestId, DenialReason reason) {
    return new Decision.Denied(requestId, AuthError.UNAUTHORIZED, reason);
  }

  private static Decision unavailable(String requestId, DenialReason reason) {
    return new Decision.Denied(requestId, AuthError.SERVICE_UNAVAILABLE, reason);
  }
}
