package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.audit.AuditSink;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.audit.LoggingAuditSink;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.CdiBeans;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.api.keys.KeyRecord;
import com.nimbusos.auth.api.keys.KeyStore;
import com.nimbusos.auth.api.keys.KeyStoreException;
import com.nimbusos.auth.jaxrs.ReleaseOnUndeploy;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the key management API does, and who may do it: the {@link KeyManager} lifecycle over HTTP,
 * each action checked against the calling key and recorded in the audit trail.
 *
 * <p>The permission model:
 *
 * <ul>
 *   <li>a key with {@value #MANAGE_SCOPE} reaches only the keys of its own owner in its own
 *       environment; it creates keys with scopes it holds itself, never {@value #MANAGE_SCOPE} nor
 *       {@value #OPERATOR_SCOPE}, and never outliving its own expiry; it rotates or revokes itself,
 *       or a key whose every scope it could grant;
 *   <li>a key with {@value #OPERATOR_SCOPE} reaches every owner, in its own environment and, from
 *       production, sandbox too; it grants any scope but {@value #OPERATOR_SCOPE} (operator keys
 *       are made with the admin command line, on the server's machine), revokes any key it reaches,
 *       and disables or enables partners;
 *   <li>nothing reaches production from a sandbox key; keys out of reach are answered as unknown
 *       ({@code 404}), so their ids cannot be probed; keys in reach but beyond the caller's rights
 *       get {@code 403}.
 * </ul>
 *
 * <p>Every action, allowed or refused, is one {@link AuditEvent}: the caller's key id, owner and
 * environment; {@code reason} the action ({@code KEY_LIST}, {@code KEY_CREATE}, {@code KEY_ROTATE},
 * {@code KEY_REVOKE}, {@code KEY_USAGE}, {@code OWNER_DISABLE}, {@code OWNER_ENABLE}); {@code path}
 * the target: the key's own path under the API ({@code /api-keys/key_3f2a…}, a created key's too)
 * or the partner's ({@code /api-keys/owners/acme-health}); {@code status} what the caller was
 * answered. A new key's secret is in no event, log line or exception, only in the one response that
 * creates it.
 */
public final class KeyManagement {

  /** The scope that lets a key manage its owner's keys. */
  public static final String MANAGE_SCOPE = "keys:manage";

  /** The scope that lets a key manage every owner's keys, and disable or enable partners. */
  public static final String OPERATOR_SCOPE = "nimbus:admin";

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");
  private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,63}");
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final int MAX_SCOPES = 32;

  private final KeyManager keys;
  private final KeyStore store;
  private final AuditSink audit;
  private final KeyUsageHistory usage;
  private final Clock clock;

  private KeyManagement(Builder builder) {
    this.store = builder.store;
    this.clock = builder.clock;
    this.keys = new KeyManager(builder.store, builder.hasher, builder.clock);
    this.audit = builder.audit;
    this.usage = builder.usage;
  }

  /**
   * A builder over {@code store}: the store the application's validator reads, so that changes
   * apply at once.
   */
  public static Builder over(KeyStore store) {
    return new Builder(store);
  }

  /**
   * Management as the configuration describes it: the store of {@code nimbus.auth.store} (else the
   * application's one CDI bean implementing {@link KeyStore}), keys hashed with {@code
   * nimbus.auth.pepper} when set, audit events to the sink the adapters use, usage from {@link
   * KeyUsageHistory#shared()}.
   *
   * @throws ConfigurationException naming {@code nimbus.auth.store} when there is no store to
   *     manage
   */
  public static KeyManagement fromConfiguration(NimbusAuthConfig config, ClassLoader loader) {
    KeyStore store;
    try {
      if (config.store().isPresent()) {
        store =
            switch (config.store().get()) {
              case JSON_FILE -> JsonFileKeyStore.open(config.storePath().orElseThrow());
              case JDBC -> JdbcKeyStore.fromJndi(config.storeDataSource());
            };
      } else if (CdiBeans.lookup(KeyStore.class, loader)
          instanceof CdiBeans.Found<KeyStore> found) {
        store = found.bean();
      } else {
        throw new ConfigurationException(
            NimbusAuthConfig.STORE,
            "key management needs a key store: set "
                + NimbusAuthConfig.STORE
                + " (json-file or jdbc), "
                + "or provide one CDI bean implementing KeyStore; a keys file cannot be managed over HTTP");
      }
    } catch (KeyStoreException | IllegalStateException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.STORE, "key management cannot open its store: " + e.getMessage(), e);
    }
    return over(store)
        .hasher(config.pepper().map(KeyHasher::hmacSha256).orElseGet(KeyHasher::sha256))
        .audit(auditSink(config, loader))
        .build();
  }

  /** The application's trail, shared with its adapters, closed when the application stops. */
  private static AuditSink auditSink(NimbusAuthConfig config, ClassLoader loader) {
    AuditSinks.Resolved audit =
        AuditSinks.open(null, config, loader, ReleaseOnUndeploy.contextPath(loader));
    ReleaseOnUndeploy.register(loader, audit);
    return audit.sink();
  }

  /** The usage history this API reports from. */
  KeyUsageHistory usageHistory() {
    return usage;
  }

  Instant now() {
    return clock.instant();
  }

  // --- the actions
  // -----------------------------------------------------------------------------------

  /**
   * Who asks, for the checks and the audit trail.
   *
   * @param key the calling key
   * @param requestId the request's id, as in the engine's own audit event of it
   * @param method the HTTP method
   * @param clientAddress the connection's peer, or {@code null}
   * @param base the API's path, {@code /api-keys}, under which targets are named
   */
  record Actor(
      ApiKeyPrincipal key, String requestId, String method, String clientAddress, String base) {
    boolean isOperator() {
      return key.hasScope(OPERATOR_SCOPE);
    }

    boolean mayManage() {
      return isOperator() || key.hasScope(MANAGE_SCOPE);
    }
  }

  /**
   * A key as the caller sees it.
   *
   * @param record the stored facts (its hash is never shown)
   * @param state {@code active}, {@code rotating}, {@code disabled}, {@code expired} or {@code
   *     revoked}
   * @param sunset when a key that will expire stops working, as its {@code Sunset} header says;
   *     else null
   * @param successor the newer key replacing a rotating one, or {@code null}
   */
  record KeyView(KeyRecord record, String state, Instant sunset, String successor) {}

  /**
   * The keys the caller reaches, newest first.
   *
   * @param owner only this owner's keys (operators), or {@code null}
   */
  List<KeyView> list(Actor actor, String owner) throws ManagementException {
    requireManager(actor, "KEY_LIST", actor.base());
    List<KeyRecord> all = all(actor, "KEY_LIST", actor.base());
    Set<String> disabled = disabledOwners(actor, "KEY_LIST", actor.base());
    Instant now = clock.instant();
    List<KeyView> views = new ArrayList<>();
    for (KeyRecord record : all) {
      if (reaches(actor, record.owner(), record.environment())
          && (owner == null || owner.equals(record.owner()))) {
        views.add(view(record, all, disabled, now));
      }
    }
    views.sort(Comparator.comparing((KeyView v) -> v.record().createdAt()).reversed());
    recordOrFail(actor, "KEY_LIST", actor.base(), 200);
    return views;
  }

  /**
   * The scopes the caller may put on a key it creates; {@code null} for an operator, who may grant
   * any but one.
   */
  Set<String> grantableScopes(Actor actor) {
    if (actor.isOperator()) {
      return null;
    }
    Set<String> scopes = new TreeSet<>(actor.key().scopes());
    scopes.remove(MANAGE_SCOPE);
    scopes.remove(OPERATOR_SCOPE);
    return scopes;
  }

  /**
   * Creates a key.
   *
   * @param owner the owner, or {@code null} for the caller's own
   * @param environment the environment, or {@code null} for the caller's own
   * @param expiresAt the expiry, or {@code null}
   */
  CreatedKey create(
      Actor actor, String owner, Environment environment, Set<String> scopes, Instant expiresAt)
      throws ManagementException {
    String action = "KEY_CREATE";
    requireManager(actor, action, actor.base());
    String target = owner == null ? actor.key().owner() : owner;
    Environment in = environment == null ? actor.key().environment() : environment;
    if (!OWNER.matcher(target).matches()) {
      throw refused(
          actor,
          action,
          actor.base(),
          ManagementException.badRequest("owner: letters, digits, '.', '_' or '-', at most 100"));
    }
    if (scopes == null
        || scopes.isEmpty()
        || scopes.size() > MAX_SCOPES
        || !scopes.stream().allMatch(s -> SCOPE.matcher(s).matches())) {
      throw refused(
          actor,
          action,
          actor.base(),
          ManagementException.badRequest(
              "scopes: 1 to "
                  + MAX_SCOPES
                  + " scopes, each letters, digits and ':._-', at most 64 characters"));
    }
    if (!reaches(actor, target, in) || !mayGrant(actor, scopes)) {
      throw refused(actor, action, actor.base(), ManagementException.forbidden());
    }
    Instant now = clock.instant();
    Instant ceiling = actor.isOperator() ? null : actor.key().expiresAt();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw refused(
          actor,
          action,
          actor.base(),
          ManagementException.badRequest("expiresAt: must be in the future"));
    }
    if (ceiling != null && (expiresAt == null || expiresAt.isAfter(ceiling))) {
      // A key must not outlive the key that made it: that would stretch the caller's own rights in
      // time.
      if (expiresAt != null) {
        throw refused(actor, action, actor.base(), ManagementException.forbidden());
      }
      expiresAt = ceiling;
    }
    CreatedKey created;
    try {
      created = keys.create(target, in, scopes, expiresAt);
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, actor.base(), e);
    }
    String path = keyPath(actor, created.record().keyId());
    try {
      record(actor, action, path, "allowed", 201);
    } catch (RuntimeException e) {
      // No key may work that the audit trail does not know of: take it back before failing.
      revokeQuietly(created.record().keyId());
      throw auditFailed(actor, action, path, e);
    }
    return created;
  }

  /**
   * Rotates a key: a new key with the same owner, environment, scopes and expiry; the old one works
   * on until {@code grace} has passed (never past its own expiry), answering with {@code Sunset}
   * meanwhile.
   */
  CreatedKey rotate(Actor actor, String keyId, Duration grace) throws ManagementException {
    String action = "KEY_ROTATE";
    String path = keyPath(actor, keyId);
    requireManager(actor, action, path);
    KeyRecord old = reachable(actor, action, path, keyId);
    if (!isSelf(actor, old) && !mayGrant(actor, old.scopes())) {
      throw refused(actor, action, path, ManagementException.forbidden());
    }
    Instant now = clock.instant();
    List<KeyRecord> all = all(actor, action, path);
    KeyView view = view(old, all, Set.of(), now);
    if (!view.state().equals("active") && !view.state().equals("disabled")) {
      throw refused(
          actor,
          action,
          path,
          new ManagementException(
              ManagementException.Kind.CONFLICT,
              "Key is "
                  + view.state()
                  + ": only an active key can be rotated"
                  + (view.successor() != null ? "; rotate " + view.successor() + " instead" : "")));
    }
    Instant graceUntil = now.plus(grace);
    if (old.expiresAt() != null && old.expiresAt().isBefore(graceUntil)) {
      graceUntil = old.expiresAt(); // a rotation never lengthens a key's life
    }
    CreatedKey created;
    try {
      created = keys.rotate(keyId, graceUntil);
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, path, e);
    } catch (IllegalArgumentException e) {
      throw refused(
          actor,
          action,
          path,
          new ManagementException(ManagementException.Kind.CONFLICT, "Key cannot be rotated"));
    }
    try {
      record(actor, action, path, "allowed", 201);
      record(actor, "KEY_CREATE", keyPath(actor, created.record().keyId()), "allowed", 201);
    } catch (RuntimeException e) {
      revokeQuietly(created.record().keyId());
      throw auditFailed(actor, action, path, e);
    }
    return created;
  }

  /** Revokes a key: refused from the next request on. Revoking a revoked key changes nothing. */
  KeyRecord revoke(Actor actor, String keyId) throws ManagementException {
    String action = "KEY_REVOKE";
    String path = keyPath(actor, keyId);
    requireManager(actor, action, path);
    KeyRecord target = reachable(actor, action, path, keyId);
    if (!isSelf(actor, target) && !actor.isOperator() && !mayGrant(actor, target.scopes())) {
      throw refused(actor, action, path, ManagementException.forbidden());
    }
    KeyRecord revoked;
    try {
      revoked = keys.revoke(keyId);
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, path, e);
    }
    recordOrFail(actor, action, path, 200);
    return revoked;
  }

  /** A key's usage over the last {@code hours} hours. */
  KeyUsageHistory.Usage usage(Actor actor, String keyId, int hours) throws ManagementException {
    String action = "KEY_USAGE";
    String path = keyPath(actor, keyId);
    requireManager(actor, action, path);
    reachable(actor, action, path, keyId);
    recordOrFail(actor, action, path, 200);
    return usage.usage(keyId, clock.instant(), hours);
  }

  /** Disables or re-enables every key of {@code owner}: operators only. */
  void setOwnerDisabled(Actor actor, String owner, boolean disabled) throws ManagementException {
    String action = disabled ? "OWNER_DISABLE" : "OWNER_ENABLE";
    String path = actor.base() + "/owners/" + owner;
    if (!actor.isOperator()) {
      throw refused(actor, action, path, ManagementException.forbidden());
    }
    if (!OWNER.matcher(owner).matches()) {
      throw refused(
          actor,
          action,
          path,
          ManagementException.badRequest("owner: letters, digits, '.', '_' or '-'"));
    }
    try {
      if (disabled) {
        keys.disableOwner(owner);
      } else {
        keys.enableOwner(owner);
      }
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, path, e);
    }
    recordOrFail(actor, action, path, 200);
  }

  // --- the rules
  // -------------------------------------------------------------------------------------

  /** Whether the caller reaches keys of {@code owner} in {@code environment}. */
  private static boolean reaches(Actor actor, String owner, Environment environment) {
    ApiKeyPrincipal key = actor.key();
    if (actor.isOperator()) {
      return environment == key.environment()
          || key.environment() == Environment.PRODUCTION && environment == Environment.SANDBOX;
    }
    return key.owner().equals(owner) && key.environment() == environment;
  }

  /** Whether the caller may put {@code scopes} on a key. */
  private boolean mayGrant(Actor actor, Set<String> scopes) {
    if (actor.isOperator()) {
      return !scopes.contains(OPERATOR_SCOPE);
    }
    return grantableScopes(actor).containsAll(scopes);
  }

  private static boolean isSelf(Actor actor, KeyRecord target) {
    return target.keyId().equals(actor.key().keyId());
  }

  private void requireManager(Actor actor, String action, String path) throws ManagementException {
    if (!actor.mayManage()) {
      throw refused(actor, action, path, ManagementException.forbidden());
    }
  }

  private KeyRecord reachable(Actor actor, String action, String path, String keyId)
      throws ManagementException {
    KeyRecord record;
    try {
      record = store.findById(keyId).orElse(null);
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, path, e);
    }
    if (record == null || !reaches(actor, record.owner(), record.environment())) {
      throw refused(actor, action, path, ManagementException.notFound());
    }
    return record;
  }

  /**
   * A key's state. "Rotating" is told from the records, which keep no rotation mark: a live key
   * that will expire while a newer live key of the same owner, environment and scopes exists.
   */
  private static KeyView view(
      KeyRecord record, List<KeyRecord> all, Set<String> disabled, Instant now) {
    if (record.isRevokedAt(now)) {
      return new KeyView(record, "revoked", null, null);
    }
    if (record.isExpiredAt(now)) {
      return new KeyView(record, "expired", null, null);
    }
    Instant sunset = record.expiresAt();
    if (disabled.contains(record.owner())) {
      return new KeyView(record, "disabled", sunset, null);
    }
    if (sunset != null) {
      for (KeyRecord other : all) {
        if (other.createdAt().isAfter(record.createdAt())
            && other.owner().equals(record.owner())
            && other.environment() == record.environment()
            && other.scopes().equals(record.scopes())
            && !other.isRevokedAt(now)
            && !other.isExpiredAt(now)) {
          return new KeyView(record, "rotating", sunset, other.keyId());
        }
      }
    }
    return new KeyView(record, "active", sunset, null);
  }

  private List<KeyRecord> all(Actor actor, String action, String path) throws ManagementException {
    try {
      return store.list();
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, path, e);
    }
  }

  private Set<String> disabledOwners(Actor actor, String action, String path)
      throws ManagementException {
    try {
      return new HashSet<>(store.disabledOwners());
    } catch (KeyStoreException e) {
      throw unavailable(actor, action, path, e);
    }
  }

  private static String keyPath(Actor actor, String keyId) {
    return actor.base() + "/" + keyId;
  }

  // --- the audit trail
  // --------------------------------------------------------------------------------

  private void record(Actor actor, String action, String path, String outcome, int status) {
    ApiKeyPrincipal key = actor.key();
    audit.record(
        new AuditEvent(
            clock.instant(),
            actor.requestId(),
            key.keyId(),
            null,
            key.owner(),
            key.environment().configName(),
            outcome,
            action,
            actor.method(),
            path,
            status,
            actor.clientAddress(),
            false,
            null));
  }

  /**
   * Records an allowed action; an audit trail that cannot record it fails the answer (the change is
   * made).
   */
  private void recordOrFail(Actor actor, String action, String path, int status)
      throws ManagementException {
    try {
      record(actor, action, path, "allowed", status);
    } catch (RuntimeException e) {
      throw auditFailed(actor, action, path, e);
    }
  }

  /**
   * Records a refusal and returns it to throw; a refusal stands even when it cannot be recorded.
   */
  private ManagementException refused(
      Actor actor, String action, String path, ManagementException refusal) {
    try {
      record(actor, action, path, "denied", refusal.kind().status);
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR,
          "Nimbus Auth could not record the refused "
              + action
              + " of "
              + path
              + " in request "
              + actor.requestId(),
          e);
    }
    return refusal;
  }

  private ManagementException unavailable(
      Actor actor, String action, String path, KeyStoreException e) {
    LOG.log(
        Level.WARNING,
        "Nimbus Auth key management: "
            + action
            + " of "
            + path
            + " in request "
            + actor.requestId()
            + " failed: the key store is unavailable ("
            + e.getMessage()
            + ")");
    return refused(
        actor,
        action,
        path,
        new ManagementException(
            ManagementException.Kind.UNAVAILABLE, "Key management is temporarily unavailable"));
  }

  private static ManagementException auditFailed(
      Actor actor, String action, String path, RuntimeException e) {
    LOG.log(
        Level.ERROR,
        "Nimbus Auth could not record "
            + action
            + " of "
            + path
            + " by key "
            + actor.key().keyId()
            + " in request "
            + actor.requestId()
            + "; answered 503",
        e);
    return new ManagementException(
        ManagementException.Kind.UNAVAILABLE, "Key management is temporarily unavailable");
  }

  private void revokeQuietly(String keyId) {
    try {
      keys.revoke(keyId);
    } catch (KeyStoreException | RuntimeException e) {
      LOG.log(
          Level.ERROR,
          "Nimbus Auth could not take back unaudited key " + keyId + ": revoke it by hand",
          e);
    }
  }

  @Override
  public String toString() {
    return "KeyManagement[" + store + ", audit to " + audit + "]";
  }

  /** Configures a {@link KeyManagement}. */
  public static final class Builder {
    private final KeyStore store;
    private KeyHasher hasher = KeyHasher.sha256();
    private AuditSink audit = new LoggingAuditSink();
    private KeyUsageHistory usage = KeyUsageHistory.shared();
    private Clock clock = Clock.systemUTC();

    private Builder(KeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** How keys are hashed: as the validators on the store hash them. Default SHA-256. */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** Where management events go. Default: the log, as {@link LoggingAuditSink} writes them. */
    public Builder audit(AuditSink audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /** Where usage is read from. Default {@link KeyUsageHistory#shared()}. */
    public Builder usage(KeyUsageHistory usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** The clock deciding expiry, states and event times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The management API's service. */
    public KeyManagement build() {
      return new KeyManagement(this);
    }
  }
}
