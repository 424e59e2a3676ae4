package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PathPattern;
import com.nimbusos.auth.api.config.ScopeRule;
import com.nimbusos.auth.api.internal.Redaction;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides every request, for every adapter: extract the key from {@code X-API-Key}, validate it, check the
 * environment, expiry and scopes, and say what to answer. The servlet filter and the JAX-RS providers only
 * translate HTTP to and from it, so no rule exists twice. Thread-safe and immutable.
 *
 * <p>It fails closed: a validator that throws or returns {@code null} gives {@code 503}, never a pass.
 */
public final class AuthenticationEngine {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");
  /** IMF-fixdate (RFC 9110), the HTTP-date form {@code Sunset} takes. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);

  private final KeyValidator validator;
  private final NimbusAuthConfig config;
  private final Clock clock;
  private final String wwwAuthenticate;

  /** An engine deciding with {@code validator} under {@code config}, on the system clock. */
  public AuthenticationEngine(KeyValidator validator, NimbusAuthConfig config) {
    this(validator, config, Clock.systemUTC());
  }

  /** An engine on a given clock, which decides when keys have expired. */
  public AuthenticationEngine(KeyValidator validator, NimbusAuthConfig config, Clock clock) {
    this.validator = Objects.requireNonNull(validator, "validator");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.wwwAuthenticate = "ApiKey realm=\"" + config.realm() + "\"";
  }

  /** The configuration this engine applies. */
  public NimbusAuthConfig config() {
    return config;
  }

  /**
   * Decides one request: HTTPS policy, public paths, the key, then the scope rules for its method and path.
   */
  public Decision authenticate(AuthRequest request) {
    Decision admitted = admitPublic(request);
    if (!admitted.allowed() || isPublic(request.path())) {
      return admitted;
    }
    String requestId = admitted.requestId();
    Decision decision = authenticateKey(requestId, request.headerValues(NimbusHeaders.API_KEY));
    if (decision instanceof Decision.Authenticated authenticated) {
      return authorizeByRules(authenticated, request.method(), request.path());
    }
    return decision;
  }

  /**
   * Decides a request to a resource that declares its own access: {@code @PermitAll} resources need no key;
   * the others are authenticated as by {@link #authenticate(AuthRequest)}, then {@linkplain
   * #authorize(Decision, ResourceAccess) authorised}.
   */
  public Decision decide(AuthRequest request, ResourceAccess access) {
    Decision base =
        access.kind() == ResourceAccess.Kind.PERMIT_ALL ? admitPublic(request) : authenticate(request);
    return authorize(base, access);
  }

  /**
   * Applies a resource's declared access to an earlier verdict (possibly taken by another adapter in front):
   * a refused verdict stays refused; a caller without a key gets {@code 401}; a key without a required
   * scope, or any caller of a {@code @DenyAll} resource, gets {@code 403}.
   */
  public Decision authorize(Decision decision, ResourceAccess access) {
    if (!decision.allowed()) {
      return decision;
    }
    return switch (access.kind()) {
      case PERMIT_ALL, AUTHENTICATED -> decision;
      case DENY_ALL ->
          decision instanceof Decision.Authenticated
              ? new Decision.Denied(decision.requestId(), AuthError.FORBIDDEN, DenialReason.DENIED_TO_ALL)
              : unauthorized(decision.requestId(), DenialReason.MISSING_KEY);
      case ANY_OF_SCOPES ->
          decision instanceof Decision.Authenticated authenticated
              ? requireAnyScope(authenticated, access.anyOfScopes())
              : unauthorized(decision.requestId(), DenialReason.MISSING_KEY);
    };
  }

  /**
   * Decides a request to a resource that needs no key (e.g. {@code @PermitAll}): only the HTTPS policy
   * applies.
   */
  public Decision admitPublic(AuthRequest request) {
    String requestId = RequestIds.next();
    if (config.requireHttps() && !request.isSecure()) {
      return new Decision.Denied(requestId, AuthError.HTTPS_REQUIRED, DenialReason.HTTPS_REQUIRED);
    }
    return new Decision.Anonymous(requestId);
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
   * Requires the caller to hold at least one of {@code anyOfScopes}; an empty collection admits nobody.
   *
   * @return {@code authenticated} itself, or a {@code 403 forbidden} denial with the same request id
   */
  public Decision requireAnyScope(Decision.Authenticated authenticated, Collection<String> anyOfScopes) {
    if (authenticated.caller().hasAnyScope(anyOfScopes)) {
      return authenticated;
    }
    return new Decision.Denied(
        authenticated.requestId(), AuthError.FORBIDDEN, DenialReason.INSUFFICIENT_SCOPE);
  }

  /**
   * Headers for a request that may proceed: {@code X-Request-Id}, and for a key that will expire (a key in
   * its rotation grace period, say) {@code Sunset} with its expiry (RFC 8594), so clients learn in time
   * that it is going away.
   */
  public Map<String, String> successHeaders(Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(NimbusHeaders.REQUEST_ID, decision.requestId());
    decision
        .principal()
        .flatMap(ApiKeyPrincipal::expiry)
        .ifPresent(expiry -> headers.put(NimbusHeaders.SUNSET, HTTP_DATE.format(expiry)));
    return headers;
  }

  /** The response for a refused request: status, headers and body, identical for every adapter. */
  public ErrorResponse errorResponse(Decision.Denied denied) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    headers.put(NimbusHeaders.REQUEST_ID, denied.requestId());
    if (denied.error().status() == 401) {
      headers.put("WWW-Authenticate", wwwAuthenticate);
    }
    return new ErrorResponse(
        denied.error().status(), headers, ErrorBody.of(denied.error(), denied.requestId()));
  }

  private Decision authenticateKey(String requestId, List<String> values) {
    if (values.size() > 1) {
      return unauthorized(requestId, DenialReason.DUPLICATE_KEY);
    }
    String raw = values.isEmpty() || values.get(0) == null ? "" : values.get(0).strip();
    if (raw.isEmpty()) {
      return unauthorized(requestId, DenialReason.MISSING_KEY);
    }
    if (!isWellFormed(raw)) {
      return unauthorized(requestId, DenialReason.MALFORMED);
    }
    PresentedKey key = PresentedKey.of(raw);
    ValidationResult result;
    try {
      result = validator.validate(key);
    } catch (Exception e) {
      LOG.log(
          Level.WARNING,
          "KeyValidator " + validator.getClass().getName() + " could not decide on key " + key
              + " in request " + requestId + "; refused with 503",
          Redaction.scrub(e, raw, key.redacted()));
      return unavailable(requestId);
    }
    if (result == null) {
      LOG.log(
          Level.WARNING,
          "KeyValidator " + validator.getClass().getName() + " returned null for key " + key
              + " in request " + requestId + "; refused with 503");
      return unavailable(requestId);
    }
    if (result instanceof ValidationResult.Invalid invalid) {
      return unauthorized(requestId, DenialReason.of(invalid.reason()));
    }
    ApiKeyPrincipal principal = ((ValidationResult.Valid) result).principal();
    if (config.environment().isPresent() && config.environment().get() != principal.environment()) {
      return unauthorized(requestId, DenialReason.WRONG_ENVIRONMENT);
    }
    if (principal.isExpiredAt(clock.instant())) {
      return unauthorized(requestId, DenialReason.EXPIRED);
    }
    return new Decision.Authenticated(requestId, principal);
  }

  private Decision authorizeByRules(Decision.Authenticated authenticated, String method, String path) {
    for (ScopeRule rule : config.scopeRules()) {
      if (rule.appliesTo(method, path)) {
        return requireAnyScope(authenticated, rule.anyOfScopes());
      }
    }
    return authenticated;
  }

  /**
   * Whether {@code raw} may be a key at all: short enough, and only letters, digits and {@code -._~+/=:}.
   * Checked before hashing so hostile values cost nothing and reach no validator.
   */
  private boolean isWellFormed(String raw) {
    if (raw.length() > config.maxKeyLength()) {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_' || c == '-' || c == '.' || c == '~' || c == '+' || c == '/' || c == '='
              || c == ':';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static Decision unauthorized(String requestId, DenialReason reason) {
    return new Decision.Denied(requestId, AuthError.UNAUTHORIZED, reason);
  }

  private static Decision unavailable(String requestId) {
    return new Decision.Denied(
        requestId, AuthError.SERVICE_UNAVAILABLE, DenialReason.VALIDATOR_UNAVAILABLE);
  }
}
