package com.nimbusos.auth.api.audit;

import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import com.nimbusos.auth.api.audit.trail.JdbcAuditSink;
import com.nimbusos.auth.api.config.AuditTrailSettings;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.CdiBeans;
import com.nimbusos.auth.api.internal.ProviderDiscovery;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Finds the audit sink, first match wins: an explicit instance; {@code nimbus.auth.audit.sink}
 * ({@code file}, {@code jdbc}, {@code logging} or a class name), or {@code file} when only the file
 * trail's settings are given; the one CDI bean implementing it; exactly one {@link ServiceLoader}
 * provider; else the file trail ({@link FileAuditSink}) with its defaults, in the server's log
 * directory, named after the application. Where the application has CDI observers of {@link
 * AuditEvent}, each event is also fired to them, before the sink records it.
 */
public final class AuditSinks {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /**
   * The sink each application's servlet adapter uses, by class loader: the JAX-RS feature behind
   * the filter records the few requests it decides itself into the same trail, with the filter's
   * own settings, which the feature cannot see.
   */
  private static final java.util.Map<ClassLoader, AuditSink> ADAPTER_SINKS =
      new java.util.WeakHashMap<>();

  private AuditSinks() {}

  /**
   * Publishes the sink a servlet adapter of the application of {@code loader} records to, until
   * {@link #withdraw}.
   */
  public static void publish(ClassLoader loader, AuditSink sink) {
    synchronized (ADAPTER_SINKS) {
      ADAPTER_SINKS.put(loader, sink);
    }
  }

  /** Withdraws {@code sink}, published for {@code loader}, when its adapter stops. */
  public static void withdraw(ClassLoader loader, AuditSink sink) {
    synchronized (ADAPTER_SINKS) {
      ADAPTER_SINKS.remove(loader, sink);
    }
  }

  /**
   * The sink a servlet adapter of the application of {@code loader} records to, if one has started.
   */
  public static java.util.Optional<AuditSink> published(ClassLoader loader) {
    synchronized (ADAPTER_SINKS) {
      return java.util.Optional.ofNullable(ADAPTER_SINKS.get(loader));
    }
  }

  /**
   * The sink found, where it came from, and whether it was created here: then whoever resolved it
   * closes it when the application stops ({@link #closeIfOwned()}); an explicit instance or a CDI
   * bean belongs to others.
   *
   * @param sink the sink
   * @param source where it came from, for the start-up line, e.g. the files it writes
   * @param owned whether it was created here
   */
  public record Resolved(AuditSink sink, String source, boolean owned) {

    /** Closes the sink if it was created here (a file trail's writer, a JDBC trail's thread). */
    public void closeIfOwned() {
      if (owned) {
        try {
          sink.close();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "closing the audit sink " + source + " failed: " + e);
        }
      }
    }
  }

  /**
   * Resolves the sink, for callers that keep it for the life of the JVM. Adapters, which stop with
   * their application, use {@link #open} and close what it created.
   *
   * @throws ConfigurationException naming the property when a sink cannot be created
   */
  public static AuditSink resolve(AuditSink explicit, NimbusAuthConfig config, ClassLoader loader) {
    return open(explicit, config, loader).sink();
  }

  /**
   * Resolves the sink, and says whether the caller must close it.
   *
   * @throws ConfigurationException naming the property when a sink cannot be created
   */
  public static Resolved open(AuditSink explicit, NimbusAuthConfig config, ClassLoader loader) {
    return open(explicit, config, loader, null);
  }

  /**
   * Resolves the sink, and says whether the caller must close it.
   *
   * @param application the application's name where the adapter knows it (a servlet context path),
   *     which names the default file trail, so that two applications in one server write two
   *     trails; {@code null} for none
   * @throws ConfigurationException naming the property when a sink cannot be created
   */
  public static Resolved open(
      AuditSink explicit, NimbusAuthConfig config, ClassLoader loader, String application) {
    Resolved found = find(explicit, config, loader, application);
    AuditEvent sample =
        new AuditEvent(
            java.time.Instant.EPOCH,
            "req_0",
            null,
            null,
            null,
            null,
            "allowed",
            "PUBLIC",
            "GET",
            "/",
            0,
            null,
            false,
            null);
    return CdiBeans.eventFirer(AuditEvent.class, sample, loader)
        .map(
            fire ->
                new Resolved(
                    new FiringSink(fire, found.sink()),
                    found.source() + " and CDI observers",
                    found.owned()))
        .orElse(found);
  }

  /**
   * Fires each event to CDI observers, then records it; completions and closing go to the sink
   * alone.
   */
  private record FiringSink(Consumer<AuditEvent> fire, AuditSink sink) implements AuditSink {
    @Override
    public void record(AuditEvent event) {
      fire.accept(event);
      sink.record(event);
    }

    @Override
    public void complete(AuditCompletion completion) {
      sink.complete(completion);
    }

    @Override
    public void close() {
      sink.close();
    }
  }

  private static Resolved find(
      AuditSink explicit, NimbusAuthConfig config, ClassLoader loader, String application) {
    AuditTrailSettings trail = config.auditTrail();
    return ProviderDiscovery.of(AuditSink.class, NimbusAuthConfig.AUDIT_SINK, loader)
        .className(
            trail.kind() == AuditTrailSettings.Kind.CUSTOM ? config.auditSink() : Optional.empty())
        .configured(() -> builtIn(trail, application).map(AuditSinks::found))
        .ambiguousBeans("name the one to use")
        .checkBeforeUse(found -> refuseFileSettings(trail, found))
        .find(explicit)
        .map(found -> new Resolved(found.provider(), found.source(), found.owned()))
        // No sink named or found: the file trail, with its defaults.
        .orElseGet(() -> file(trail, application));
  }

  /** The built-in sink {@code nimbus.auth.audit.sink} names, or empty when it names none. */
  private static Optional<Resolved> builtIn(AuditTrailSettings trail, String application) {
    return switch (trail.kind()) {
      case FILE -> Optional.of(file(trail, application));
      case JDBC -> Optional.of(jdbc(trail));
      case LOGGING -> Optional.of(logging());
      case CUSTOM, DEFAULT -> Optional.empty();
    };
  }

  private static ProviderDiscovery.Found<AuditSink> found(Resolved resolved) {
    return new ProviderDiscovery.Found<>(resolved.sink(), resolved.source(), resolved.owned());
  }

  /**
   * The default trail's directory in the temporary directory, which every user of the machine can
   * write: created owner-only, and refused if it is a link or another user's (who could then
   * rewrite an unsigned trail, or hold its lock so that every request is refused).
   */
  private static void ownDirectory(Path directory) {
    try {
      if (!java.nio.file.Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try {
          java.nio.file.Files.createDirectories(directory.getParent());
          java.nio.file.Files.createDirectory(
              directory,
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
          java.nio.file.Files.createDirectory(directory);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // checked below like any existing directory
        }
      }
      if (!java.nio.file.Files.isDirectory(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_FILE,
            directory
                + " is not a directory (a link or a"
                + " file is there): set "
                + NimbusAuthConfig.AUDIT_FILE
                + " to a directory of your own");
      }
      String owner =
          java.nio.file.Files.getOwner(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)
              .getName();
      String me = System.getProperty("user.name");
      boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (posix && me != null && !owner.equals(me)) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_FILE,
            directory
                + " belongs to "
                + owner
                + ", not to "
                + me
                + ", who could rewrite the trail or hold it: set "
                + NimbusAuthConfig.AUDIT_FILE
                + " to a directory of your own");
      }
    } catch (java.io.IOException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.AUDIT_FILE,
          "cannot prepare "
              + directory
              + ": "
              + e.getMessage()
              + "; set "
              + NimbusAuthConfig.AUDIT_FILE
              + " to a directory of your own",
          e);
    }
  }

  /**
   * The file trail's settings would be ignored where another sink was found: say so rather than
   * drop them.
   */
  private static void refuseFileSettings(AuditTrailSettings trail, String found) {
    if (trail.hasFileSettings()) {
      throw new ConfigurationException(
          NimbusAuthConfig.AUDIT_SINK,
          found
              + " implements AuditSink, which would"
              + " ignore the nimbus.auth.audit.* settings of the file trail given: set "
              + NimbusAuthConfig.AUDIT_SINK
              + "=file to write the file trail, or remove those settings to use the bean");
    }
  }

  private static Resolved logging() {
    return new Resolved(new LoggingAuditSink(), "the log (" + LoggingAuditSink.LOGGER + ")", true);
  }

  private static Resolved file(AuditTrailSettings trail, String application) {
    Path base = trail.file().orElseGet(() -> defaultTrailBase(application));
    Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    if (base.toAbsolutePath().normalize().startsWith(temporary)) {
      if (trail.file().isEmpty()) {
        ownDirectory(base.getParent());
      }
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail goes to "
              + base
              + ".*.jsonl, in the temporary directory, which the"
              + " system or the server may empty: set "
              + NimbusAuthConfig.AUDIT_FILE
              + " to a directory that is kept");
    }
    if (trail.key().isEmpty()) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail "
              + base
              + ".*.jsonl is hash-chained but unsigned: it shows damage and careless edits, not a"
              + " forger who can write the files (or cuts the tail); set "
              + NimbusAuthConfig.AUDIT_KEY
              + " (32 bytes or more, from your secret manager) to sign its checkpoints");
    }
    try {
      FileAuditSink sink =
          trail
              .key()
              .map(key -> FileAuditSink.builder(base, key))
              .orElseGet(() -> FileAuditSink.unsignedBuilder(base))
              .rotateBytes(trail.rotateBytes())
              .rotateDaily(trail.rotateDaily())
              .fsync(trail.fsync())
              .checkpointEvery(
                  trail.checkpointRecords(), Duration.ofSeconds(trail.checkpointSeconds()))
              .build();
      return new Resolved(sink, sink.describe(), true);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_FILE, e.getMessage(), e);
    }
  }

  /**
   * Where the file trail goes when {@code nimbus.auth.audit.file} is not set: the directory {@code
   * nimbus-audit} in the server's log directory (WildFly's {@code jboss.server.log.dir}, Payara's
   * instance {@code logs}), else in the temporary directory; the files named after the application,
   * so that each application in a server has a trail of its own.
   */
  static Path defaultTrailBase(String application) {
    String name = trailName(application);
    String wildfly = System.getProperty("jboss.server.log.dir");
    if (wildfly != null) {
      return Path.of(wildfly, "nimbus-audit", name);
    }
    String payara = System.getProperty("com.sun.aas.instanceRoot");
    if (payara != null) {
      return Path.of(payara, "logs", "nimbus-audit", name);
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "nimbus-audit", name);
  }

  /**
   * A file name for an application: its context path without the slash ({@code /partner-api} gives
   * {@code partner-api}, the root context {@code ROOT}, as servers name it), anything but letters,
   * digits, {@code .}, {@code _} and {@code -} replaced by {@code _}; {@code audit} when the
   * adapter knows no name.
   */
  static String trailName(String application) {
    if (application == null) {
      return "audit";
    }
    String name = application.startsWith("/") ? application.substring(1) : application;
    if (name.isEmpty()) {
      return "ROOT";
    }
    StringBuilder safe = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || (c == '.' && i > 0);
      safe.append(plain ? c : '_');
    }
    // Where the name had to change, or would read as another's (the root context, an unknown one),
    // a hash
    // of the context path keeps two applications apart: /a/b and /a_b must not share a trail.
    String named = safe.toString();
    if (!named.equals(name) || named.equalsIgnoreCase("ROOT") || named.equalsIgnoreCase("audit")) {
      named += "-" + shortHash(application);
    }
    return named;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  // BanJNDI guards against looking up names a client chose; this name is the operator's
  // configuration
  // (nimbus.auth.audit.datasource), and the lookup is the container's own DataSource binding.
  @SuppressWarnings("BanJNDI")
  private static Resolved jdbc(AuditTrailSettings trail) {
    String jndiName = trail.dataSource();
    DataSource dataSource;
    try {
      Object bound = new InitialContext().lookup(jndiName);
      if (!(bound instanceof DataSource found)) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_DATASOURCE, jndiName + " is not a DataSource");
      }
      dataSource = found;
    } catch (NamingException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.AUDIT_DATASOURCE,
          "no DataSource at " + jndiName + ": " + e.getMessage(),
          e);
    }
    JdbcAuditSink.Builder builder =
        JdbcAuditSink.builder(dataSource, jndiName, trail.key().orElseThrow())
            .checkpointEvery(
                trail.checkpointRecords(), Duration.ofSeconds(trail.checkpointSeconds()));
    trail.node().ifPresent(builder::node);
    JdbcAuditSink sink = builder.build();
    return new Resolved(sink, sink.describe(), true);
  }
}
