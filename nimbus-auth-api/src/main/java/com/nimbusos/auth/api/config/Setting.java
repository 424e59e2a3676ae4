package com.nimbusos.auth.api.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every {@code nimbus.auth.*} setting, declared once: its name, type, default, allowed range and
 * description. {@link NimbusAuthConfig} reads exactly these names (any other {@code nimbus.auth.*}
 * name fails the deployment), takes its numeric defaults and ranges from here, and {@code
 * docs/configuration.md} shows {@link #markdownTable()}, which a test keeps equal to this table.
 * Each constant's arguments are, in order: the name after {@code nimbus.auth.}, the type, the
 * default as it would be written in the configuration ({@code null} for none), the default as shown
 * when it cannot be written so, the range, and the description (Markdown, with links relative to
 * {@code docs/}).
 */
public enum Setting {
  ENVIRONMENT(
      "environment",
      Type.CHOICE,
      null,
      "required",
      Range.text("`sandbox`, `production`, `any`"),
      "which keys the deployment accepts: `sandbox` or `production` keys only (the other's get 401); `any`, for"
          + " development only, accepts both. No default: too consequential to guess"),
  VALIDATOR(
      "validator",
      Type.CLASS_NAME,
      null,
      "–",
      Range.NONE,
      "class name of your `KeyValidator` (public no-argument constructor); see [validators](key-stores.md#validators)"
          + " for the other ways to give one"),
  KEYS_FILE(
      "keys-file",
      Type.PATH,
      null,
      "–",
      Range.NONE,
      "path of a [hashed keys file](key-stores.md#the-hashed-keys-file) for the built-in validator"),
  REQUIRE_HTTPS(
      "require-https",
      Type.BOOLEAN,
      "true",
      null,
      Range.NONE,
      "refuse plain-HTTP requests with 403 `https_required` (never a redirect, which would resend the key);"
          + " `false` is for local development, and fails in production without `allow-insecure-production`"),
  ALLOW_INSECURE_PRODUCTION(
      "allow-insecure-production",
      Type.BOOLEAN,
      "false",
      null,
      Range.NONE,
      "allow `require-https=false` with `environment=production` (TLS ends at infrastructure you trust; list it"
          + " in `trusted-proxies`)"),
  PUBLIC_PATHS(
      "public-paths",
      Type.LIST,
      null,
      "none",
      Range.NONE,
      "comma-separated paths needing no key: `/health` (also `/health/`) or `/docs/*` (the prefix and below);"
          + " relative to the context root for the filter, to the application path for JAX-RS alone"),
  SCOPE_RULES(
      "scope-rules",
      Type.RULES,
      null,
      "none",
      Range.NONE,
      "`[METHOD[,METHOD]] /path = scope [scope…]`, separated by `;` or new lines; first match wins; the key needs"
          + " one of the scopes, else 403; `HEAD` follows `GET`'s rules; a rule without methods names them all"),
  DENY_UNCOVERED_METHODS(
      "deny-uncovered-methods",
      Type.BOOLEAN,
      "true",
      null,
      Range.NONE,
      "on a path that scope rules name, a method that none of them names gets 403 (the servlet specification's"
          + " `deny-uncovered-http-methods`, made the default); `false` opens such methods to any valid key. The"
          + " start-up line names the uncovered methods of each rule path"),
  FIREWALL_ALLOWED_METHODS(
      "firewall.allowed-methods",
      Type.LIST,
      "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
      null,
      Range.NONE,
      "the methods decided at all, spelled exactly (`get` is not `GET`); any other gets 405 with `Allow`. Add"
          + " `TRACE` or WebDAV methods only if the application serves them"),
  FIREWALL_ALLOW_JSESSIONID(
      "firewall.allow-jsessionid",
      Type.BOOLEAN,
      "false",
      null,
      Range.NONE,
      "tolerate (and ignore) a trailing `;jsessionid=…` path parameter; every other `;` is refused with 400."
          + " Risk: none beyond a session id in URLs, which logs and `Referer` headers leak"),
  MAX_KEY_LENGTH(
      "max-key-length",
      Type.INTEGER,
      "256",
      null,
      Range.between(16, 8192),
      "longer values get 401 before any hashing"),
  REALM(
      "realm",
      Type.TEXT,
      "nimbus",
      null,
      Range.text("1–64 letters, digits, spaces, `-_.`"),
      "realm in `WWW-Authenticate: ApiKey realm=\"…\"`"),
  STORE(
      "store",
      Type.CHOICE,
      null,
      "–",
      Range.text("`json-file`, `jdbc`"),
      "validate against a [key store](key-stores.md#key-lifecycle-and-stores) through a cache"),
  STORE_PATH(
      "store.path",
      Type.PATH,
      null,
      "–",
      Range.NONE,
      "the JSON store's file (required with `store=json-file`)"),
  STORE_DATASOURCE(
      "store.datasource",
      Type.JNDI_NAME,
      "java:comp/DefaultDataSource",
      null,
      Range.NONE,
      "JNDI name of the JDBC store's DataSource"),
  STORE_POLL_MILLIS(
      "store.poll-millis",
      Type.INTEGER,
      "250",
      null,
      Range.between(10, 900),
      "how often, in milliseconds, the store is polled for changes: the safety net behind push, and all there is"
          + " without it"),
  STORE_INDEX(
      "store.index",
      Type.BOOLEAN,
      "false",
      null,
      Range.NONE,
      "hold every key in memory in a compact index (about 80 bytes a key), reloaded whenever the store changes:"
          + " then no unknown key costs a query, however many distinct ones a flood brings"),
  STORE_CACHE_KEYS(
      "store.cache-keys",
      Type.INTEGER,
      "262144",
      null,
      Range.between(1_000, 1 << 30),
      "how many known keys the validator caches at most (rounded up to a power of two): its slots, four of which"
          + " a key may take, so keys crowd each other out before it is full; give it four times the keys in use"
          + " (4 bytes a slot, about 200 bytes a key cached); a key evicted is read from the store again when it"
          + " comes back"),
  PEPPER(
      "pepper",
      Type.SECRET,
      null,
      "–",
      Range.text("≥ 32 bytes"),
      "server-side secret: the key stores hash keys with HMAC-SHA256 under it; give it as a system property or"
          + " through your secret manager, never in `web.xml`. Not with `keys-file` or `validator`, which would"
          + " ignore it"),
  TRUSTED_PROXIES(
      "trusted-proxies",
      Type.LIST,
      null,
      "none",
      Range.NONE,
      "comma-separated address ranges (`10.0.0.0/8, 192.168.1.7`) whose forwarding headers are believed; from"
          + " anyone else they are ignored"),
  TRUSTED_PROXY_HEADER(
      "trusted-proxy-header",
      Type.CHOICE,
      "x-forwarded-for",
      null,
      Range.text("`x-forwarded-for`, `forwarded`"),
      "which forwarding headers a trusted proxy is believed in: `X-Forwarded-For` and `X-Forwarded-Proto`, or"
          + " RFC 7239 `Forwarded` (`for=`, `proto=`); the other family is ignored, so choose the one your proxy"
          + " sets"),
  THROTTLE_MAX_FAILURES(
      "throttle.max-failures",
      Type.INTEGER,
      "20",
      null,
      Range.between(0, 100_000),
      "failed authentications per client address (an IPv6 /64 counts as one) and window before"
          + " `429 rate_limited`; `0` turns throttling off"),
  THROTTLE_WINDOW_SECONDS(
      "throttle.window-seconds",
      Type.INTEGER,
      "60",
      null,
      Range.between(1, 86_400),
      "the throttling window, in seconds; also the `Retry-After`"),
  THROTTLE_MAX_CLIENTS(
      "throttle.max-clients",
      Type.INTEGER,
      "100000",
      null,
      Range.between(100, 10_000_000),
      "most client addresses tracked at once (memory bound)"),
  AUDIT_SINK(
      "audit.sink",
      Type.CHOICE,
      null,
      "the one CDI bean or service implementing `AuditSink`, else the file trail",
      Range.text("`file`, `jdbc`, `logging`, a class name"),
      "where the [audit trail](audit.md) goes: hash-chained files of its own (named, they must be signed: set"
          + " `audit.key`), a database table, JSON lines to the logger `com.nimbusos.auth.audit` (editable without a"
          + " trace), or your `AuditSink`"),
  AUDIT_FAIL_CLOSED(
      "audit.fail-closed",
      Type.BOOLEAN,
      "true",
      null,
      Range.NONE,
      "a request whose decision the audit sink could not record is refused with 503"),
  AUDIT_KEY(
      "audit.key",
      Type.SECRET,
      null,
      "–",
      Range.text("≥ 32 bytes"),
      "secret that signs the trail's checkpoints: required where `audit.sink` names `file` or `jdbc`; without it the"
          + " default file trail is chained but unsigned, which catches damage, not a forger (a warning at start)."
          + " Give it like the pepper, never next to the trail"),
  AUDIT_FILE(
      "audit.file",
      Type.PATH,
      null,
      "`nimbus-audit/<context path>` in the server's log directory (`ROOT` for the root context), else in the"
          + " temporary directory (with a warning)",
      Range.NONE,
      "directory and base name of the `file` trail: `/var/log/nimbus/audit` gives `audit.000001.jsonl`…"),
  AUDIT_ROTATE_SIZE(
      "audit.rotate-size",
      Type.SIZE,
      "64m",
      null,
      Range.between(64L << 10, 1L << 30),
      "the `file` trail starts a new file at this size (bytes, or with `k`, `m`, `g`); a file is mapped whole"),
  AUDIT_ROTATE_DAILY(
      "audit.rotate-daily",
      Type.BOOLEAN,
      "true",
      null,
      Range.NONE,
      "the `file` trail also starts a new file each day (UTC)"),
  AUDIT_FSYNC(
      "audit.fsync",
      Type.CHOICE,
      "none",
      null,
      Range.text("`none`, `batch`"),
      "`none`: a record survives the process at once, the machine once the kernel writes it back; `batch`: each"
          + " request waits until its record is on disk, one flush for all waiting"),
  AUDIT_CHECKPOINT_RECORDS(
      "audit.checkpoint-records",
      Type.INTEGER,
      "1000",
      null,
      Range.between(1, 1_000_000),
      "records between two HMAC checkpoints (`file`, `jdbc`)"),
  AUDIT_CHECKPOINT_SECONDS(
      "audit.checkpoint-seconds",
      Type.INTEGER,
      "10",
      null,
      Range.between(1, 3600),
      "longest time, in seconds, between two checkpoints while records come"),
  AUDIT_NODE(
      "audit.node",
      Type.TEXT,
      null,
      "the host name",
      Range.text("1–64 letters, digits, `.-_`"),
      "this node's name in the `jdbc` trail (one chain per node: unique per server)"),
  AUDIT_DATASOURCE(
      "audit.datasource",
      Type.JNDI_NAME,
      null,
      "`nimbus.auth.store.datasource`",
      Range.NONE,
      "JNDI name of the `jdbc` trail's DataSource"),
  ANOMALY_RATE_MULTIPLE(
      "anomaly.rate-multiple",
      Type.INTEGER,
      "10",
      null,
      Range.zeroOrBetween(2, 1000),
      "flag `RATE_SPIKE` when a key's requests this minute exceed this many times its trailing-hour rate;"
          + " `0` turns it off"),
  ANOMALY_RATE_MIN_REQUESTS(
      "anomaly.rate-min-requests",
      Type.INTEGER,
      "100",
      null,
      Range.between(1, 1_000_000),
      "requests of a key in one minute below which nothing is a spike"),
  ANOMALY_SPRAY_ADDRESSES(
      "anomaly.spray-addresses",
      Type.INTEGER,
      "10",
      null,
      Range.zeroOrBetween(2, 10_000),
      "flag `SPRAYING` when one key (or unknown value) is refused from this many distinct addresses within ten"
          + " minutes; `0` turns it off"),
  METRICS(
      "metrics",
      Type.CHOICE,
      "auto",
      null,
      Range.text("`auto`, `micrometer`, `microprofile`, `none`"),
      "where [metrics](metrics.md) go: `auto` is Micrometer, else MicroProfile Metrics, else nothing; naming an"
          + " absent library fails the deployment"),
  CORS(
      "cors",
      Type.BOOLEAN,
      "false",
      null,
      Range.NONE,
      "answer CORS preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) without a key, with"
          + " `204` and the allowed methods and asked-for headers; any other `OPTIONS` still needs a key"),
  CORS_ALLOWED_ORIGINS(
      "cors.allowed-origins",
      Type.LIST,
      "*",
      null,
      Range.NONE,
      "`*`, or the origins (`https://app.example.com, https://b.example.com`) whose preflights are permitted"
          + " (echoed, with `Vary: Origin`); any other origin gets 403");

  /** What kind of value a setting takes, as the reference names it. */
  public enum Type {
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean"),
    /** A whole number within the setting's {@link Range}. */
    INTEGER("integer"),
    /** Bytes, or a number with {@code k}, {@code m} or {@code g}. */
    SIZE("size"),
    /** One of the values the range names. */
    CHOICE("choice"),
    /** Comma-separated values. */
    LIST("list"),
    /** Scope rules. */
    RULES("rules"),
    /** A file system path. */
    PATH("path"),
    /** A fully qualified class name. */
    CLASS_NAME("class name"),
    /** A JNDI name. */
    JNDI_NAME("JNDI name"),
    /** A secret: never logged, never in a descriptor. */
    SECRET("secret"),
    /** Free text within the range. */
    TEXT("text");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /** How the reference names this type. */
    public String label() {
      return label;
    }
  }

  /**
   * The values a setting allows: whole numbers from {@code min} to {@code max} (and {@code 0},
   * meaning off, when {@code zeroIsOff}), or a description of the values allowed, or nothing to
   * say.
   *
   * @param min the smallest number allowed, for numeric settings
   * @param max the largest number allowed, for numeric settings
   * @param zeroIsOff whether {@code 0} is allowed too, to turn the feature off
   * @param text what the reference says, for non-numeric settings; {@code null} for numeric ones
   */
  public record Range(long min, long max, boolean zeroIsOff, String text) {

    /** Nothing to say beyond the type. */
    public static final Range NONE = new Range(0, 0, false, "");

    static Range between(long min, long max) {
      return new Range(min, max, false, null);
    }

    static Range zeroOrBetween(long min, long max) {
      return new Range(min, max, true, null);
    }

    static Range text(String text) {
      return new Range(0, 0, false, text);
    }

    /** Whether this range bounds numbers. */
    public boolean numeric() {
      return text == null;
    }

    /** Whether {@code value} is allowed; every value is, for a non-numeric range. */
    public boolean allows(long value) {
      return !numeric() || value >= min && value <= max || zeroIsOff && value == 0;
    }

    /** The range as the reference shows it. */
    public String describe() {
      if (!numeric()) {
        return text;
      }
      return (zeroIsOff ? "`0` (off) or " : "") + "`" + min + "`–`" + max + "`";
    }
  }

  private final String key;
  private final Type type;
  private final String defaultValue;
  private final String defaultText;

  // A record of primitives and a String: immutable, though not annotated so (the module has no
  // dependency
  // on Error Prone's annotations).
  @SuppressWarnings("ImmutableEnumChecker")
  private final Range range;

  private final String description;

  Setting(
      String name,
      Type type,
      String defaultValue,
      String defaultText,
      Range range,
      String description) {
    this.key = NimbusAuthConfig.PREFIX + name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.range = range;
    this.description = description;
  }

  /** The full name, such as {@code nimbus.auth.environment}. */
  public String key() {
    return key;
  }

  /** What kind of value it takes. */
  public Type type() {
    return type;
  }

  /** The default as it would be written in the configuration; empty when there is none to write. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The allowed values. */
  public Range range() {
    return range;
  }

  /** What it does, in Markdown. */
  public String description() {
    return description;
  }

  /** The default as a number, for the {@link Type#INTEGER} settings that have one. */
  int intDefault() {
    return Integer.parseInt(defaultValue);
  }

  /** The default of a {@link Type#BOOLEAN} setting. */
  boolean booleanDefault() {
    return Boolean.parseBoolean(defaultValue);
  }

  /**
   * Refuses {@code value} outside the range, naming this setting and its bounds.
   *
   * @throws ConfigurationException when {@code value} is out of range
   */
  int check(int value) {
    if (!range.allows(value)) {
      throw new ConfigurationException(
          key,
          "must be "
              + (range.zeroIsOff() ? "0 (off) or " : "")
              + "between "
              + range.min()
              + " and "
              + range.max()
              + ", was "
              + value);
    }
    return value;
  }

  /** The setting of this name, if there is one. */
  public static Optional<Setting> named(String key) {
    for (Setting setting : values()) {
      if (setting.key.equals(key)) {
        return Optional.of(setting);
      }
    }
    return Optional.empty();
  }

  /** The reference table of every setting, as {@code docs/configuration.md} shows it. */
  public static String markdownTable() {
    StringBuilder table =
        new StringBuilder(
            "| setting | type | default | range | description |\n|---|---|---|---|---|\n");
    for (Setting setting : values()) {
      String shownDefault =
          setting.defaultValue != null ? "`" + setting.defaultValue + "`" : setting.defaultText;
      table
          .append("| `")
          .append(setting.key)
          .append("` | ")
          .append(setting.type.label())
          .append(" | ")
          .append(shownDefault)
          .append(" | ")
          .append(setting.range.describe())
          .append(" | ")
          .append(setting.description)
          .append(" |\n");
    }
    return table.toString();
  }

  @Override
  public String toString() {
    return key.toLowerCase(Locale.ROOT);
  }
}
