package com.nimbusos.auth.api.config;

import com.nimbusos.auth.api.Environment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The whole configuration of Nimbus Auth: immutable, validated when built, identical for every
 * adapter.
 *
 * <p>Read by {@link #load(List)} from {@code nimbus.auth.*} properties. Secure defaults: HTTPS
 * required, every path protected except the configured public paths. The one setting without a
 * default is {@link #ENVIRONMENT}: which keys a deployment accepts is too consequential to guess.
 * Invalid values, unknown {@code nimbus.auth.*} names and a missing environment fail with a {@link
 * ConfigurationException} naming the property.
 */
public final class NimbusAuthConfig {

  /** Prefix of every property. */
  public static final String PREFIX = "nimbus.auth.";

  // The names, defaults, ranges and descriptions of the settings are declared once, in Setting;
  // these
  // constants are the names under which code has always referred to them.
  /** {@link Setting#VALIDATOR}. */
  public static final String VALIDATOR = Setting.VALIDATOR.key();

  /** {@link Setting#KEYS_FILE}. */
  public static final String KEYS_FILE = Setting.KEYS_FILE.key();

  /** {@link Setting#ENVIRONMENT}. */
  public static final String ENVIRONMENT = Setting.ENVIRONMENT.key();

  /** {@link Setting#REQUIRE_HTTPS}. */
  public static final String REQUIRE_HTTPS = Setting.REQUIRE_HTTPS.key();

  /** {@link Setting#PUBLIC_PATHS}. */
  public static final String PUBLIC_PATHS = Setting.PUBLIC_PATHS.key();

  /** {@link Setting#SCOPE_RULES}. */
  public static final String SCOPE_RULES = Setting.SCOPE_RULES.key();

  /** {@link Setting#MAX_KEY_LENGTH}. */
  public static final String MAX_KEY_LENGTH = Setting.MAX_KEY_LENGTH.key();

  /** {@link Setting#REALM}. */
  public static final String REALM = Setting.REALM.key();

  /** {@link Setting#STORE}. */
  public static final String STORE = Setting.STORE.key();

  /** {@link Setting#STORE_PATH}. */
  public static final String STORE_PATH = Setting.STORE_PATH.key();

  /** {@link Setting#STORE_DATASOURCE}. */
  public static final String STORE_DATASOURCE = Setting.STORE_DATASOURCE.key();

  /** {@link Setting#STORE_POLL_MILLIS}. */
  public static final String STORE_POLL_MILLIS = Setting.STORE_POLL_MILLIS.key();

  /** {@link Setting#STORE_INDEX}. */
  public static final String STORE_INDEX = Setting.STORE_INDEX.key();

  /** {@link Setting#STORE_CACHE_KEYS}. */
  public static final String STORE_CACHE_KEYS = Setting.STORE_CACHE_KEYS.key();

  /** {@link Setting#PEPPER}. */
  public static final String PEPPER = Setting.PEPPER.key();

  /** {@link Setting#ALLOW_INSECURE_PRODUCTION}. */
  public static final String ALLOW_INSECURE_PRODUCTION = Setting.ALLOW_INSECURE_PRODUCTION.key();

  /** {@link Setting#TRUSTED_PROXIES}. */
  public static final String TRUSTED_PROXIES = Setting.TRUSTED_PROXIES.key();

  /** {@link Setting#TRUSTED_PROXY_HEADER}. */
  public static final String TRUSTED_PROXY_HEADER = Setting.TRUSTED_PROXY_HEADER.key();

  /** {@link Setting#THROTTLE_MAX_FAILURES}. */
  public static final String THROTTLE_MAX_FAILURES = Setting.THROTTLE_MAX_FAILURES.key();

  /** {@link Setting#THROTTLE_WINDOW_SECONDS}. */
  public static final String THROTTLE_WINDOW_SECONDS = Setting.THROTTLE_WINDOW_SECONDS.key();

  /** {@link Setting#THROTTLE_MAX_CLIENTS}. */
  public static final String THROTTLE_MAX_CLIENTS = Setting.THROTTLE_MAX_CLIENTS.key();

  /** {@link Setting#AUDIT_SINK}. */
  public static final String AUDIT_SINK = Setting.AUDIT_SINK.key();

  /** {@link Setting#AUDIT_FILE}. */
  public static final String AUDIT_FILE = Setting.AUDIT_FILE.key();

  /** {@link Setting#AUDIT_ROTATE_SIZE}. */
  public static final String AUDIT_ROTATE_SIZE = Setting.AUDIT_ROTATE_SIZE.key();

  /** {@link Setting#AUDIT_ROTATE_DAILY}. */
  public static final String AUDIT_ROTATE_DAILY = Setting.AUDIT_ROTATE_DAILY.key();

  /** {@link Setting#AUDIT_FSYNC}. */
  public static final String AUDIT_FSYNC = Setting.AUDIT_FSYNC.key();

  /** {@link Setting#AUDIT_KEY}. */
  public static final String AUDIT_KEY = Setting.AUDIT_KEY.key();

  /** {@link Setting#AUDIT_CHECKPOINT_RECORDS}. */
  public static final String AUDIT_CHECKPOINT_RECORDS = Setting.AUDIT_CHECKPOINT_RECORDS.key();

  /** {@link Setting#AUDIT_CHECKPOINT_SECONDS}. */
  public static final String AUDIT_CHECKPOINT_SECONDS = Setting.AUDIT_CHECKPOINT_SECONDS.key();

  /** {@link Setting#AUDIT_NODE}. */
  public static final String AUDIT_NODE = Setting.AUDIT_NODE.key();

  /** {@link Setting#AUDIT_DATASOURCE}. */
  public static final String AUDIT_DATASOURCE = Setting.AUDIT_DATASOURCE.key();

  /** {@link Setting#AUDIT_FAIL_CLOSED}. */
  public static final String AUDIT_FAIL_CLOSED = Setting.AUDIT_FAIL_CLOSED.key();

  /** {@link Setting#CORS}. */
  public static final String CORS = Setting.CORS.key();

  /** {@link Setting#METRICS}. */
  public static final String METRICS = Setting.METRICS.key();

  /** {@link Setting#FIREWALL_ALLOWED_METHODS}. */
  public static final String FIREWALL_ALLOWED_METHODS = Setting.FIREWALL_ALLOWED_METHODS.key();

  /** {@link Setting#FIREWALL_ALLOW_JSESSIONID}. */
  public static final String FIREWALL_ALLOW_JSESSIONID = Setting.FIREWALL_ALLOW_JSESSIONID.key();

  /** {@link Setting#DENY_UNCOVERED_METHODS}. */
  public static final String DENY_UNCOVERED_METHODS = Setting.DENY_UNCOVERED_METHODS.key();

  /** {@link Setting#CORS_ALLOWED_ORIGINS}. */
  public static final String CORS_ALLOWED_ORIGINS = Setting.CORS_ALLOWED_ORIGINS.key();

  /** {@link Setting#ANOMALY_RATE_MULTIPLE}. */
  public static final String ANOMALY_RATE_MULTIPLE = Setting.ANOMALY_RATE_MULTIPLE.key();

  /** {@link Setting#ANOMALY_RATE_MIN_REQUESTS}. */
  public static final String ANOMALY_RATE_MIN_REQUESTS = Setting.ANOMALY_RATE_MIN_REQUESTS.key();

  /** {@link Setting#ANOMALY_SPRAY_ADDRESSES}. */
  public static final String ANOMALY_SPRAY_ADDRESSES = Setting.ANOMALY_SPRAY_ADDRESSES.key();

  /** The default of {@link #STORE_CACHE_KEYS}. */
  public static final int DEFAULT_STORE_CACHE_KEYS = Setting.STORE_CACHE_KEYS.intDefault();

  /** The methods decided when {@link #FIREWALL_ALLOWED_METHODS} is not set. */
  public static final String DEFAULT_ALLOWED_METHODS =
      Setting.FIREWALL_ALLOWED_METHODS.defaultValue().orElseThrow();

  private static final Set<String> KNOWN =
      java.util.Arrays.stream(Setting.values())
          .map(Setting::key)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static final String ANY_ENVIRONMENT = "any";
  private static final String ENVIRONMENT_CHOICES =
      "'sandbox' or 'production' (that environment's keys only), or 'any' for development (keys of both)";

  static final int DEFAULT_MAX_KEY_LENGTH = Setting.MAX_KEY_LENGTH.intDefault();

  private final String validatorClass;
  private final Path keysFile;
  private final Environment environment;
  private final boolean requireHttps;
  private final List<PathPattern> publicPaths;
  private final List<ScopeRule> scopeRules;
  private final int maxKeyLength;
  private final String realm;
  private final StoreKind store;
  private final Path storePath;
  private final String storeDataSource;
  private final int storePollMillis;
  private final boolean storeIndex;
  private final int storeCacheKeys;
  private final byte[] pepper;
  private final List<Cidr> trustedProxies;
  private final ProxyHeader trustedProxyHeader;
  private final int throttleMaxFailures;
  private final int throttleWindowSeconds;
  private final int throttleMaxClients;
  private final String auditSink;
  private final boolean auditFailClosed;
  private final AuditTrailSettings auditTrail;
  private final boolean cors;
  private final MetricsKind metrics;
  private final Set<String> allowedMethods;
  private final boolean allowJsessionid;
  private final boolean denyUncoveredMethods;
  private final Set<String> corsAllowedOrigins;
  private final int anomalyRateMultiple;
  private final int anomalyRateMinRequests;
  private final int anomalySprayAddresses;

  /** Where metrics go; see {@link NimbusAuthConfig#METRICS}. */
  public enum MetricsKind {
    /**
     * The first registry the application has, Micrometer before MicroProfile Metrics; none if
     * neither.
     */
    AUTO,
    /**
     * Micrometer's {@code MeterRegistry}: the application's CDI bean, else Micrometer's global
     * registry.
     */
    MICROMETER,
    /** MicroProfile Metrics' application {@code MetricRegistry}, a CDI bean. */
    MICROPROFILE,
    /** No metrics. */
    NONE;

    static MetricsKind parse(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "micrometer" -> MICROMETER;
        case "microprofile" -> MICROPROFILE;
        case "none" -> NONE;
        default ->
            throw new IllegalArgumentException(
                "expected 'auto', 'micrometer', 'microprofile' or 'none'");
      };
    }

    /** The value as written in the configuration. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The forwarding headers believed from a trusted proxy; see {@link
   * NimbusAuthConfig#TRUSTED_PROXY_HEADER}.
   */
  public enum ProxyHeader {
    /**
     * {@code X-Forwarded-For} for the client's address, {@code X-Forwarded-Proto} for its scheme.
     */
    X_FORWARDED_FOR,
    /** RFC 7239 {@code Forwarded}: its {@code for=} and {@code proto=} parameters. */
    FORWARDED;

    static ProxyHeader parse(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "x-forwarded-for" -> X_FORWARDED_FOR;
        case "forwarded" -> FORWARDED;
        default -> throw new IllegalArgumentException("expected 'x-forwarded-for' or 'forwarded'");
      };
    }

    /** The value as written in the configuration. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The key stores the built-in store validator can read. */
  public enum StoreKind {
    /** {@link com.nimbusos.auth.api.keys.JsonFileKeyStore}. */
    JSON_FILE,
    /** {@link com.nimbusos.auth.api.keys.JdbcKeyStore}. */
    JDBC;

    static StoreKind parse(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "json-file" -> JSON_FILE;
        case "jdbc" -> JDBC;
        default -> throw new IllegalArgumentException("expected 'json-file' or 'jdbc'");
      };
    }
  }

  private NimbusAuthConfig(Builder builder) {
    this.validatorClass = builder.validatorClass;
    this.keysFile = builder.keysFile;
    this.environment = builder.environment;
    this.requireHttps = builder.requireHttps;
    this.publicPaths = List.copyOf(builder.publicPaths);
    this.scopeRules = List.copyOf(builder.scopeRules);
    this.maxKeyLength = builder.maxKeyLength;
    this.realm = builder.realm;
    this.store = builder.store;
    this.storePath = builder.storePath;
    this.storeDataSource = builder.storeDataSource;
    this.storePollMillis = builder.storePollMillis;
    this.storeIndex = builder.storeIndex;
    this.storeCacheKeys = builder.storeCacheKeys;
    this.pepper = builder.pepper;
    this.trustedProxies = List.copyOf(builder.trustedProxies);
    this.trustedProxyHeader = builder.trustedProxyHeader;
    this.throttleMaxFailures = builder.throttleMaxFailures;
    this.throttleWindowSeconds = builder.throttleWindowSeconds;
    this.throttleMaxClients = builder.throttleMaxClients;
    this.auditSink = builder.auditSink;
    this.auditFailClosed = builder.auditFailClosed;
    this.auditTrail = builder.auditTrail.build(builder.auditSink, builder.storeDataSource);
    this.cors = builder.cors;
    this.metrics = builder.metrics;
    this.allowedMethods = Set.copyOf(builder.allowedMethods);
    this.allowJsessionid = builder.allowJsessionid;
    this.denyUncoveredMethods = builder.denyUncoveredMethods;
    this.corsAllowedOrigins = Set.copyOf(builder.corsAllowedOrigins);
    this.anomalyRateMultiple = builder.anomalyRateMultiple;
    this.anomalyRateMinRequests = builder.anomalyRateMinRequests;
    this.anomalySprayAddresses = builder.anomalySprayAddresses;
  }

  /**
   * A builder with the secure defaults, for programmatic configuration; {@link Builder#build()}
   * needs an environment chosen first.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the configuration from {@code sources}, first one wins for each property.
   *
   * @throws ConfigurationException naming the property that is invalid or unknown
   */
  public static NimbusAuthConfig load(List<PropertySource> sources) {
    rejectUnknownNames(sources);
    Function<String, String> read =
        name -> {
          for (PropertySource source : sources) {
            String value = source.get(name);
            if (value != null) {
              return value.strip();
            }
          }
          return null;
        };
    Builder builder = builder();
    set(read, VALIDATOR, builder::validatorClass);
    set(read, KEYS_FILE, value -> builder.keysFile(Path.of(value)));
    set(
        read,
        ENVIRONMENT,
        value -> {
          if (value.equalsIgnoreCase(ANY_ENVIRONMENT)) {
            builder.anyEnvironment();
          } else {
            builder.environment(parseEnvironment(value));
          }
        });
    set(read, REQUIRE_HTTPS, value -> builder.requireHttps(parseBoolean(value)));
    set(read, PUBLIC_PATHS, builder::publicPaths);
    set(read, SCOPE_RULES, builder::scopeRules);
    set(read, MAX_KEY_LENGTH, value -> builder.maxKeyLength(Integer.parseInt(value)));
    set(read, REALM, builder::realm);
    set(read, STORE, value -> builder.store(StoreKind.parse(value)));
    set(read, STORE_PATH, value -> builder.storePath(Path.of(value)));
    set(read, STORE_DATASOURCE, builder::storeDataSource);
    set(read, STORE_POLL_MILLIS, value -> builder.storePollMillis(Integer.parseInt(value)));
    set(read, STORE_INDEX, value -> builder.storeIndex(parseBoolean(value)));
    set(read, STORE_CACHE_KEYS, value -> builder.storeCacheKeys(Integer.parseInt(value)));
    set(
        read,
        PEPPER,
        value -> builder.pepper(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    set(read, TRUSTED_PROXIES, builder::trustedProxies);
    set(read, TRUSTED_PROXY_HEADER, value -> builder.trustedProxyHeader(ProxyHeader.parse(value)));
    set(
        read,
        THROTTLE_MAX_FAILURES,
        value -> builder.throttle(Integer.parseInt(value), builder.throttleWindowSeconds));
    set(
        read,
        THROTTLE_WINDOW_SECONDS,
        value -> builder.throttle(builder.throttleMaxFailures, Integer.parseInt(value)));
    set(read, THROTTLE_MAX_CLIENTS, value -> builder.throttleMaxClients(Integer.parseInt(value)));
    set(read, AUDIT_SINK, builder::auditSink);
    set(read, AUDIT_FAIL_CLOSED, value -> builder.auditFailClosed(parseBoolean(value)));
    set(read, AUDIT_FILE, value -> builder.auditTrail.file(Path.of(value)));
    set(
        read,
        AUDIT_ROTATE_SIZE,
        value -> builder.auditTrail.rotateBytes(AuditTrailSettings.parseSize(value)));
    set(read, AUDIT_ROTATE_DAILY, value -> builder.auditTrail.rotateDaily(parseBoolean(value)));
    set(read, AUDIT_FSYNC, value -> builder.auditTrail.fsync(AuditTrailSettings.parseFsync(value)));
    set(
        read,
        AUDIT_KEY,
        value -> builder.auditTrail.key(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    set(
        read,
        AUDIT_CHECKPOINT_RECORDS,
        value -> builder.auditTrail.checkpointRecords(Integer.parseInt(value)));
    set(
        read,
        AUDIT_CHECKPOINT_SECONDS,
        value -> builder.auditTrail.checkpointSeconds(Integer.parseInt(value)));
    set(read, AUDIT_NODE, builder.auditTrail::node);
    set(read, AUDIT_DATASOURCE, builder.auditTrail::dataSource);
    set(read, CORS, value -> builder.cors(parseBoolean(value)));
    set(read, METRICS, value -> builder.metrics(MetricsKind.parse(value)));
    set(read, FIREWALL_ALLOWED_METHODS, builder::allowedMethods);
    set(read, FIREWALL_ALLOW_JSESSIONID, value -> builder.allowJsessionid(parseBoolean(value)));
    set(read, DENY_UNCOVERED_METHODS, value -> builder.denyUncoveredMethods(parseBoolean(value)));
    set(read, CORS_ALLOWED_ORIGINS, builder::corsAllowedOrigins);
    set(
        read,
        ANOMALY_RATE_MULTIPLE,
        value -> builder.anomalyRate(Integer.parseInt(value), builder.anomalyRateMinRequests));
    set(
        read,
        ANOMALY_RATE_MIN_REQUESTS,
        value -> builder.anomalyRate(builder.anomalyRateMultiple, Integer.parseInt(value)));
    set(
        read,
        ANOMALY_SPRAY_ADDRESSES,
        value -> builder.anomalySprayAddresses(Integer.parseInt(value)));
    set(
        read,
        ALLOW_INSECURE_PRODUCTION,
        value -> builder.allowInsecureProduction(parseBoolean(value)));
    return builder.build();
  }

  /** Class name of the configured validator, if any. */
  public Optional<String> validatorClass() {
    return Optional.ofNullable(validatorClass);
  }

  /** The hashed keys file, if any. */
  public Optional<Path> keysFile() {
    return Optional.ofNullable(keysFile);
  }

  /** The environment served; empty for {@code any}, when keys of both environments are accepted. */
  public Optional<Environment> environment() {
    return Optional.ofNullable(environment);
  }

  /** Whether plain-HTTP requests are refused. */
  public boolean requireHttps() {
    return requireHttps;
  }

  /** Paths that need no key. */
  public List<PathPattern> publicPaths() {
    return publicPaths;
  }

  /** Method and path rules that require scopes. */
  public List<ScopeRule> scopeRules() {
    return scopeRules;
  }

  /** Longest key accepted. */
  public int maxKeyLength() {
    return maxKeyLength;
  }

  /** Realm named in {@code WWW-Authenticate}. */
  public String realm() {
    return realm;
  }

  /** The key store to read, if the built-in store validator is wanted. */
  public Optional<StoreKind> store() {
    return Optional.ofNullable(store);
  }

  /** The JSON store's file. */
  public Optional<Path> storePath() {
    return Optional.ofNullable(storePath);
  }

  /** JNDI name of the JDBC store's DataSource. */
  public String storeDataSource() {
    return storeDataSource;
  }

  /** Poll interval of the store, in milliseconds. */
  public int storePollMillis() {
    return storePollMillis;
  }

  /** Whether the store validator indexes every key's hash in memory. */
  public boolean storeIndex() {
    return storeIndex;
  }

  /** How many known keys the store validator caches at most. */
  public int storeCacheKeys() {
    return storeCacheKeys;
  }

  /** Proxies whose forwarding headers are believed. */
  public List<Cidr> trustedProxies() {
    return trustedProxies;
  }

  /** The forwarding headers believed from a trusted proxy; the other family is ignored. */
  public ProxyHeader trustedProxyHeader() {
    return trustedProxyHeader;
  }

  /** Failed authentications per client address and window before {@code 429}; 0 when off. */
  public int throttleMaxFailures() {
    return throttleMaxFailures;
  }

  /** Length of a throttling window, in seconds. */
  public int throttleWindowSeconds() {
    return throttleWindowSeconds;
  }

  /** Most client addresses the throttle tracks at once. */
  public int throttleMaxClients() {
    return throttleMaxClients;
  }

  /** The audit sink named, if any: {@code logging}, {@code file}, {@code jdbc}, or a class name. */
  public Optional<String> auditSink() {
    return Optional.ofNullable(auditSink);
  }

  /**
   * How the built-in durable trails ({@code file}, {@code jdbc}) are written, and which sink was
   * chosen.
   */
  public AuditTrailSettings auditTrail() {
    return auditTrail;
  }

  /** Whether a failing audit sink refuses the request. */
  public boolean auditFailClosed() {
    return auditFailClosed;
  }

  /** Whether CORS preflight requests pass without a key. */
  public boolean cors() {
    return cors;
  }

  /** Where decisions and validation latency are reported. */
  public MetricsKind metrics() {
    return metrics;
  }

  /** The methods the engine decides; any other is refused with {@code 405}. */
  public Set<String> allowedMethods() {
    return allowedMethods;
  }

  /** Whether a trailing {@code ;jsessionid=…} is tolerated. */
  public boolean allowJsessionid() {
    return allowJsessionid;
  }

  /** Whether methods no scope rule names, on paths scope rules name, are refused. */
  public boolean denyUncoveredMethods() {
    return denyUncoveredMethods;
  }

  /** See {@link #ANOMALY_RATE_MULTIPLE}; 0 when off. */
  public int anomalyRateMultiple() {
    return anomalyRateMultiple;
  }

  /** See {@link #ANOMALY_RATE_MIN_REQUESTS}. */
  public int anomalyRateMinRequests() {
    return anomalyRateMinRequests;
  }

  /** See {@link #ANOMALY_SPRAY_ADDRESSES}; 0 when off. */
  public int anomalySprayAddresses() {
    return anomalySprayAddresses;
  }

  /** Origins whose CORS preflights are permitted; {@code *} for any. */
  public Set<String> corsAllowedOrigins() {
    return corsAllowedOrigins;
  }

  /**
   * For each path pattern of the scope rules, the allowed methods that no rule for that pattern
   * names ({@code HEAD} counts as named with {@code GET}): refused with {@code 403} when {@link
   * #denyUncoveredMethods()}, else open to any valid key. Empty when every rule's path covers every
   * method. Logged at start.
   */
  public java.util.Map<PathPattern, Set<String>> uncoveredMethods() {
    java.util.Map<PathPattern, Set<String>> uncovered = new java.util.LinkedHashMap<>();
    for (ScopeRule rule : scopeRules) {
      if (uncovered.containsKey(rule.path())) {
        continue;
      }
      Set<String> open = new TreeSet<>();
      for (String method : allowedMethods) {
        boolean named =
            scopeRules.stream()
                .anyMatch(r -> r.path().equals(rule.path()) && r.coversMethod(method));
        if (!named) {
          open.add(method);
        }
      }
      uncovered.put(rule.path(), Set.copyOf(open));
    }
    uncovered.values().removeIf(Set::isEmpty);
    return java.util.Collections.unmodifiableMap(uncovered);
  }

  /** The pepper, if keys are hashed with HMAC-SHA256; a copy. */
  public Optional<byte[]> pepper() {
    return Optional.ofNullable(pepper).map(byte[]::clone);
  }

  @Override
  public String toString() {
    return "NimbusAuthConfig[validator="
        + validatorClass
        + ", keysFile="
        + keysFile
        + ", environment="
        + (environment == null ? ANY_ENVIRONMENT : environment.configName())
        + ", requireHttps="
        + requireHttps
        + ", publicPaths="
        + publicPaths
        + ", scopeRules="
        + scopeRules.size()
        + ", maxKeyLength="
        + maxKeyLength
        + (store == null
            ? ""
            : ", store="
                + store
                + (store == StoreKind.JDBC ? " " + storeDataSource : " " + storePath)
                + (storeIndex ? " (all keys indexed)" : ""))
        + (pepper == null ? "" : ", pepper=set")
        + (trustedProxies.isEmpty()
            ? ""
            : ", trustedProxies="
                + trustedProxies
                + ", trustedProxyHeader="
                + trustedProxyHeader.configName())
        + ", throttle="
        + (throttleMaxFailures == 0
            ? "off"
            : throttleMaxFailures + "/" + throttleWindowSeconds + "s")
        + (cors ? ", cors=preflight" : "")
        + (auditTrail.kind() == AuditTrailSettings.Kind.FILE
                || auditTrail.kind() == AuditTrailSettings.Kind.JDBC
                || auditTrail.hasFileSettings()
            ? ", audit=" + auditTrail
            : "")
        + ", metrics="
        + metrics.configName()
        + (allowedMethods.equals(Set.copyOf(Builder.methods(DEFAULT_ALLOWED_METHODS)))
            ? ""
            : ", allowedMethods=" + new TreeSet<>(allowedMethods))
        + (allowJsessionid ? ", jsessionid=tolerated" : "")
        + describeUncovered()
        + "]";
  }

  /**
   * The methods that scope rules leave uncovered, and what happens to them; nothing when none are.
   */
  private String describeUncovered() {
    java.util.Map<PathPattern, Set<String>> uncovered = uncoveredMethods();
    if (uncovered.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder(", methods no scope rule names (");
    text.append(
        denyUncoveredMethods
            ? "refused with 403"
            : "OPEN to any valid key: " + DENY_UNCOVERED_METHODS + "=false");
    text.append("):");
    uncovered.forEach(
        (path, methods) ->
            text.append(' ').append(path).append(' ').append(new TreeSet<>(methods)));
    return text.toString();
  }

  private static void rejectUnknownNames(List<PropertySource> sources) {
    Set<String> unknown = new TreeSet<>();
    for (PropertySource source : sources) {
      for (String name : source.names()) {
        if (name.startsWith(PREFIX) && !KNOWN.contains(name)) {
          unknown.add(name);
        }
      }
    }
    if (!unknown.isEmpty()) {
      String name = unknown.iterator().next();
      throw new ConfigurationException(
          name,
          "unknown property: check its spelling against the known ones, "
              + new TreeSet<>(KNOWN)
              + " (docs/configuration.md describes each), or remove it");
    }
  }

  private static void set(
      Function<String, String> read, String name, java.util.function.Consumer<String> setter) {
    String value = read.apply(name);
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (ConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigurationException(name, "invalid value '" + value + "': " + e.getMessage(), e);
    }
  }

  private static Environment parseEnvironment(String value) {
    try {
      return Environment.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected " + ENVIRONMENT_CHOICES, e);
    }
  }

  private static boolean parseBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected 'true' or 'false'");
    };
  }

  /** Builds a {@link NimbusAuthConfig}; starts from the secure defaults. */
  public static final class Builder {
    private String validatorClass;
    private Path keysFile;
    private Environment environment;
    private boolean environmentChosen;
    private boolean requireHttps = Setting.REQUIRE_HTTPS.booleanDefault();
    private List<PathPattern> publicPaths = List.of();
    private List<ScopeRule> scopeRules = List.of();
    private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
    private String realm = Setting.REALM.defaultValue().orElseThrow();
    private StoreKind store;
    private Path storePath;
    private String storeDataSource = Setting.STORE_DATASOURCE.defaultValue().orElseThrow();
    private int storePollMillis = Setting.STORE_POLL_MILLIS.intDefault();
    private boolean storeIndex;
    private int storeCacheKeys = DEFAULT_STORE_CACHE_KEYS;
    private byte[] pepper;
    private List<Cidr> trustedProxies = List.of();
    private ProxyHeader trustedProxyHeader =
        ProxyHeader.parse(Setting.TRUSTED_PROXY_HEADER.defaultValue().orElseThrow());
    private int throttleMaxFailures = Setting.THROTTLE_MAX_FAILURES.intDefault();
    private int throttleWindowSeconds = Setting.THROTTLE_WINDOW_SECONDS.intDefault();
    private int throttleMaxClients = Setting.THROTTLE_MAX_CLIENTS.intDefault();
    private String auditSink;
    private boolean auditFailClosed = Setting.AUDIT_FAIL_CLOSED.booleanDefault();
    private final AuditTrailSettings.Builder auditTrail = new AuditTrailSettings.Builder();
    private boolean cors;
    private boolean allowInsecureProduction;
    private MetricsKind metrics = MetricsKind.parse(Setting.METRICS.defaultValue().orElseThrow());
    private Set<String> allowedMethods = methods(DEFAULT_ALLOWED_METHODS);
    private boolean allowJsessionid;
    private boolean denyUncoveredMethods = Setting.DENY_UNCOVERED_METHODS.booleanDefault();
    private Set<String> corsAllowedOrigins =
        Set.of(Setting.CORS_ALLOWED_ORIGINS.defaultValue().orElseThrow());

    /**
     * The last nimbus.auth.store.* setting given, which means nothing without nimbus.auth.store.
     */
    private String storeSetting;

    private int anomalyRateMultiple = Setting.ANOMALY_RATE_MULTIPLE.intDefault();
    private int anomalyRateMinRequests = Setting.ANOMALY_RATE_MIN_REQUESTS.intDefault();
    private int anomalySprayAddresses = Setting.ANOMALY_SPRAY_ADDRESSES.intDefault();

    private Builder() {}

    /**
     * See {@link NimbusAuthConfig#ANOMALY_RATE_MULTIPLE} and {@link
     * NimbusAuthConfig#ANOMALY_RATE_MIN_REQUESTS}.
     *
     * @param multiple 0 (off) or 2 to 1000
     * @param minRequests 1 to 1000000
     */
    public Builder anomalyRate(int multiple, int minRequests) {
      Setting.ANOMALY_RATE_MULTIPLE.check(multiple);
      Setting.ANOMALY_RATE_MIN_REQUESTS.check(minRequests);
      this.anomalyRateMultiple = multiple;
      this.anomalyRateMinRequests = minRequests;
      return this;
    }

    /** See {@link NimbusAuthConfig#ANOMALY_SPRAY_ADDRESSES}; 0 (off) or 2 to 10000. */
    public Builder anomalySprayAddresses(int addresses) {
      Setting.ANOMALY_SPRAY_ADDRESSES.check(addresses);
      this.anomalySprayAddresses = addresses;
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#FIREWALL_ALLOWED_METHODS}: comma-separated HTTP method tokens,
     * spelled as clients send them.
     */
    public Builder allowedMethods(String commaSeparated) {
      Set<String> parsed = methods(commaSeparated);
      if (parsed.isEmpty()) {
        throw new ConfigurationException(
            FIREWALL_ALLOWED_METHODS,
            "names no method: list the methods your application"
                + " serves, e.g. "
                + DEFAULT_ALLOWED_METHODS
                + ", or remove it for those");
      }
      this.allowedMethods = parsed;
      return this;
    }

    /** See {@link NimbusAuthConfig#FIREWALL_ALLOW_JSESSIONID}. */
    public Builder allowJsessionid(boolean allow) {
      this.allowJsessionid = allow;
      return this;
    }

    /** See {@link NimbusAuthConfig#DENY_UNCOVERED_METHODS}. */
    public Builder denyUncoveredMethods(boolean deny) {
      this.denyUncoveredMethods = deny;
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#CORS_ALLOWED_ORIGINS}: {@code *}, or origins such as {@code
     * https://app.example.com}.
     */
    public Builder corsAllowedOrigins(String commaSeparated) {
      Set<String> origins = new java.util.LinkedHashSet<>();
      for (String origin : commaSeparated.split(",", -1)) {
        String o = origin.strip();
        if (o.isEmpty()) {
          continue;
        }
        if (!o.equals("*") && !o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
          throw new ConfigurationException(
              CORS_ALLOWED_ORIGINS,
              "'" + o + "' is not '*' nor an origin like https://app.example.com");
        }
        origins.add(o.toLowerCase(Locale.ROOT));
      }
      if (origins.isEmpty() || origins.contains("*") && origins.size() > 1) {
        throw new ConfigurationException(CORS_ALLOWED_ORIGINS, "must be '*' or a list of origins");
      }
      this.corsAllowedOrigins = origins;
      return this;
    }

    static Set<String> methods(String commaSeparated) {
      Set<String> methods = new java.util.LinkedHashSet<>();
      for (String method : commaSeparated.split(",", -1)) {
        String m = method.strip();
        if (m.isEmpty()) {
          continue;
        }
        if (!m.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}")) {
          throw new ConfigurationException(
              FIREWALL_ALLOWED_METHODS, "'" + m + "' is not an HTTP method token");
        }
        methods.add(m);
      }
      return methods;
    }

    /** See {@link NimbusAuthConfig#METRICS}. */
    public Builder metrics(MetricsKind metrics) {
      this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** See {@link NimbusAuthConfig#ALLOW_INSECURE_PRODUCTION}. */
    public Builder allowInsecureProduction(boolean allow) {
      this.allowInsecureProduction = allow;
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#TRUSTED_PROXIES}: comma-separated ranges such as {@code
     * 10.0.0.0/8}.
     */
    public Builder trustedProxies(String commaSeparated) {
      List<Cidr> ranges = new ArrayList<>();
      for (String range : commaSeparated.split(",", -1)) {
        if (!range.isBlank()) {
          ranges.add(Cidr.parse(range));
        }
      }
      this.trustedProxies = ranges;
      return this;
    }

    /** See {@link NimbusAuthConfig#TRUSTED_PROXY_HEADER}. */
    public Builder trustedProxyHeader(ProxyHeader header) {
      this.trustedProxyHeader = java.util.Objects.requireNonNull(header, "header");
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#THROTTLE_MAX_FAILURES} and {@link
     * NimbusAuthConfig#THROTTLE_WINDOW_SECONDS}.
     *
     * @param maxFailures 0 (off) to 100000
     * @param windowSeconds 1 to 86400
     */
    public Builder throttle(int maxFailures, int windowSeconds) {
      Setting.THROTTLE_MAX_FAILURES.check(maxFailures);
      Setting.THROTTLE_WINDOW_SECONDS.check(windowSeconds);
      this.throttleMaxFailures = maxFailures;
      this.throttleWindowSeconds = windowSeconds;
      return this;
    }

    /** See {@link NimbusAuthConfig#THROTTLE_MAX_CLIENTS}; 100 to 10000000. */
    public Builder throttleMaxClients(int maxClients) {
      Setting.THROTTLE_MAX_CLIENTS.check(maxClients);
      this.throttleMaxClients = maxClients;
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_SINK}. */
    public Builder auditSink(String className) {
      this.auditSink = className == null || className.isBlank() ? null : className.strip();
      return this;
    }

    /**
     * The settings of the {@code file} and {@code jdbc} trails ({@code nimbus.auth.audit.*}), e.g.
     * {@code auditTrail(t -> t.file(Path.of("/var/log/nimbus/audit")).key(key))}.
     */
    public Builder auditTrail(
        java.util.function.UnaryOperator<AuditTrailSettings.Builder> settings) {
      // The settings are the builder's own, changed in place; a function that answers another
      // builder
      // would have its settings dropped without a word, so it is refused.
      if (settings.apply(auditTrail) != auditTrail) {
        throw new IllegalArgumentException("auditTrail(...) must return the builder it is given");
      }
      return this;
    }

    /** See {@link NimbusAuthConfig#AUDIT_FAIL_CLOSED}. */
    public Builder auditFailClosed(boolean failClosed) {
      this.auditFailClosed = failClosed;
      return this;
    }

    /** See {@link NimbusAuthConfig#CORS}. */
    public Builder cors(boolean cors) {
      this.cors = cors;
      return this;
    }

    /** See {@link NimbusAuthConfig#STORE}. */
    public Builder store(StoreKind store) {
      this.store = store;
      return this;
    }

    /** See {@link NimbusAuthConfig#STORE_INDEX}. */
    public Builder storeIndex(boolean index) {
      this.storeIndex = index;
      this.storeSetting = STORE_INDEX;
      return this;
    }

    /** See {@link NimbusAuthConfig#STORE_PATH}. */
    public Builder storePath(Path path) {
      this.storePath = path;
      this.storeSetting = STORE_PATH;
      return this;
    }

    /** See {@link NimbusAuthConfig#STORE_DATASOURCE}. */
    public Builder storeDataSource(String jndiName) {
      if (jndiName == null || jndiName.isBlank()) {
        throw new ConfigurationException(
            STORE_DATASOURCE,
            "must not be blank: give the JNDI name of a DataSource,"
                + " or remove it for "
                + Setting.STORE_DATASOURCE.defaultValue().orElseThrow());
      }
      this.storeDataSource = jndiName.strip();
      this.storeSetting = STORE_DATASOURCE;
      return this;
    }

    /** See {@link NimbusAuthConfig#STORE_CACHE_KEYS}; 1,000 to 2^30. */
    public Builder storeCacheKeys(int keys) {
      Setting.STORE_CACHE_KEYS.check(keys);
      this.storeCacheKeys = keys;
      this.storeSetting = STORE_CACHE_KEYS;
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#STORE_POLL_MILLIS}; 10 to 900 ms, so changes still reach every
     * node within 1 s.
     */
    public Builder storePollMillis(int millis) {
      Setting.STORE_POLL_MILLIS.check(millis);
      this.storePollMillis = millis;
      this.storeSetting = STORE_POLL_MILLIS;
      return this;
    }

    /** See {@link NimbusAuthConfig#PEPPER}; at least 32 bytes. */
    public Builder pepper(byte[] pepper) {
      if (pepper != null && pepper.length < 32) {
        throw new ConfigurationException(
            PEPPER,
            "must be at least 32 bytes long: generate a longer secret (e.g."
                + " openssl rand -base64 48) and give it through your secret manager");
      }
      this.pepper = pepper == null ? null : pepper.clone();
      return this;
    }

    /** See {@link NimbusAuthConfig#VALIDATOR}. */
    public Builder validatorClass(String className) {
      this.validatorClass = className == null || className.isBlank() ? null : className.strip();
      return this;
    }

    /** See {@link NimbusAuthConfig#KEYS_FILE}. */
    public Builder keysFile(Path file) {
      this.keysFile = file;
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#ENVIRONMENT}: only keys of {@code environment} are accepted.
     *
     * @throws NullPointerException for {@code null}; {@link #anyEnvironment()} says "both"
     *     explicitly
     */
    public Builder environment(Environment environment) {
      this.environment =
          java.util.Objects.requireNonNull(
              environment, "environment; anyEnvironment() accepts keys of both");
      this.environmentChosen = true;
      return this;
    }

    /**
     * See {@link NimbusAuthConfig#ENVIRONMENT}: {@code any}, keys of both environments, for
     * development.
     */
    public Builder anyEnvironment() {
      this.environment = null;
      this.environmentChosen = true;
      return this;
    }

    /** See {@link NimbusAuthConfig#REQUIRE_HTTPS}. */
    public Builder requireHttps(boolean requireHttps) {
      this.requireHttps = requireHttps;
      return this;
    }

    /** Comma-separated path patterns; see {@link PathPattern}. */
    public Builder publicPaths(String commaSeparated) {
      List<PathPattern> patterns = new ArrayList<>();
      for (String pattern : commaSeparated.split(",", -1)) {
        if (!pattern.isBlank()) {
          patterns.add(PathPattern.parse(pattern));
        }
      }
      this.publicPaths = patterns;
      return this;
    }

    /** Rules separated by {@code ;} or new lines; see {@link ScopeRule}. */
    public Builder scopeRules(String rules) {
      List<ScopeRule> parsed = new ArrayList<>();
      for (String rule : rules.split("[;\\n]", -1)) {
        if (!rule.isBlank()) {
          parsed.add(ScopeRule.parse(rule));
        }
      }
      this.scopeRules = parsed;
      return this;
    }

    /** See {@link NimbusAuthConfig#MAX_KEY_LENGTH}; between 16 and 8192. */
    public Builder maxKeyLength(int maxKeyLength) {
      Setting.MAX_KEY_LENGTH.check(maxKeyLength);
      this.maxKeyLength = maxKeyLength;
      return this;
    }

    /** See {@link NimbusAuthConfig#REALM}; letters, digits, {@code -_.} and spaces only. */
    public Builder realm(String realm) {
      if (realm == null || !realm.matches("[A-Za-z0-9 ._-]{1,64}")) {
        throw new ConfigurationException(
            REALM, "must be 1 to 64 letters, digits, spaces or '-_.', was '" + realm + "'");
      }
      this.realm = realm;
      return this;
    }

    /**
     * The immutable configuration.
     *
     * @throws ConfigurationException for contradictory settings, or when no environment was chosen
     */
    public NimbusAuthConfig build() {
      if (!environmentChosen) {
        throw new ConfigurationException(
            ENVIRONMENT, "is required: set it to " + ENVIRONMENT_CHOICES);
      }
      if (store != null && keysFile != null) {
        throw new ConfigurationException(
            STORE, "set either " + STORE + " or " + KEYS_FILE + ", not both");
      }
      boolean jdbcTrailUsesIt =
          STORE_DATASOURCE.equals(storeSetting) && "jdbc".equalsIgnoreCase(auditSink);
      if (store == null && storeSetting != null && !jdbcTrailUsesIt) {
        throw new ConfigurationException(
            storeSetting,
            "is set but "
                + STORE
                + " is not, so it would be ignored: set "
                + STORE
                + " (json-file or jdbc), or remove "
                + storeSetting);
      }
      if (pepper != null && (keysFile != null || validatorClass != null)) {
        String other = keysFile != null ? KEYS_FILE : VALIDATOR;
        throw new ConfigurationException(
            PEPPER,
            "is set with "
                + other
                + ", which does not hash under it, so it would be "
                + "ignored: the pepper applies to the key stores ("
                + STORE
                + "); remove "
                + PEPPER
                + " or use a store");
      }
      if (environment == Environment.PRODUCTION && !requireHttps && !allowInsecureProduction) {
        throw new ConfigurationException(
            REQUIRE_HTTPS,
            "is false in production: keys would travel in clear. Keep HTTPS required, or set "
                + ALLOW_INSECURE_PRODUCTION
                + "=true if TLS ends at infrastructure you trust"
                + " (better: list it in "
                + TRUSTED_PROXIES
                + ")");
      }
      if (store == StoreKind.JSON_FILE && storePath == null) {
        throw new ConfigurationException(STORE_PATH, "is required when " + STORE + "=json-file");
      }
      return new NimbusAuthConfig(this);
    }
  }
}
