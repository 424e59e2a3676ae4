package com.nimbusos.auth.api.audit;

import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import com.nimbusos.auth.api.audit.trail.JdbcAuditSink;
import com.nimbusos.auth.api.config.AuditTrailSettings;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.CdiBeans;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Finds the audit sink, first match wins: an explicit instance; {@code nimbus.auth.audit.sink} ({@code
 * logging}, {@code file}, {@code jdbc} or a class name); the one CDI bean implementing it; exactly one
 * {@link ServiceLoader} provider; else {@link LoggingAuditSink}. Where the application has CDI observers of
 * {@link AuditEvent}, each event is also fired to them, before the sink records it.
 */
public final class AuditSinks {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private AuditSinks() {}

  /**
   * The sink found, where it came from, and whether it was created here: then whoever resolved it closes it
   * when the application stops ({@link #closeIfOwned()}); an explicit instance or a CDI bean belongs to
   * others.
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
   * Resolves the sink, for callers that keep it for the life of the JVM. Adapters, which stop with their
   * application, use {@link #open} and close what it created.
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
    Resolved found = find(explicit, config, loader);
    AuditEvent sample =
        new AuditEvent(java.time.Instant.EPOCH, "req_0", null, null, null, null, "allowed", "PUBLIC", "GET", "/", 0, null, false, null);
    return CdiBeans.eventFirer(AuditEvent.class, sample, loader)
        .map(fire -> new Resolved(new FiringSink(fire, found.sink()), found.source() + " and CDI observers", found.owned()))
        .orElse(found);
  }

  /** Fires each event to CDI observers, then records it; completions and closing go to the sink alone. */
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

  private static Resolved find(AuditSink explicit, NimbusAuthConfig config, ClassLoader loader) {
    if (explicit != null) {
      return new Resolved(explicit, "instance of " + explicit.getClass().getName(), false);
    }
    AuditTrailSettings trail = config.auditTrail();
    switch (trail.kind()) {
      case FILE -> {
        return file(trail);
      }
      case JDBC -> {
        return jdbc(trail);
      }
      case CUSTOM -> {
        return named(config.auditSink().orElseThrow(), loader);
      }
      case LOGGING -> {
        if (config.auditSink().isPresent()) {
          return logging();
        }
      }
      default -> throw new IllegalStateException("unknown sink " + trail.kind());
    }
    CdiBeans.Lookup<AuditSink> bean;
    try {
      bean = CdiBeans.lookup(AuditSink.class, loader);
    } catch (IllegalStateException e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, e.getMessage(), e);
    }
    if (bean instanceof CdiBeans.Ambiguous<AuditSink>) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, "several CDI beans implement AuditSink; name the one to use");
    }
    if (bean instanceof CdiBeans.Found<AuditSink> found) {
      return new Resolved(found.bean(), "CDI bean", false);
    }
    try {
      List<ServiceLoader.Provider<AuditSink>> providers = ServiceLoader.load(AuditSink.class, loader).stream().toList();
      if (providers.size() > 1) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_SINK,
            "several AuditSink services found " + providers.stream().map(p -> p.type().getName()).toList()
                + "; name the one to use");
      }
      return providers.isEmpty() ? logging()
          : new Resolved(providers.get(0).get(), "service " + providers.get(0).type().getName(), true);
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, "an AuditSink service is unusable: " + e.getMessage(), e);
    }
  }

  private static Resolved logging() {
    return new Resolved(new LoggingAuditSink(), "the log (" + LoggingAuditSink.LOGGER + ")", true);
  }

  private static Resolved named(String className, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(className, true, loader);
      if (!AuditSink.class.isAssignableFrom(type)) {
        throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, className + " does not implement " + AuditSink.class.getName());
      }
      return new Resolved((AuditSink) type.getConstructor().newInstance(), className, true);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, "cannot create " + className + ": " + e, e);
    }
  }

  private static Resolved file(AuditTrailSettings trail) {
    Path base = trail.file().orElseGet(AuditSinks::defaultTrailBase);
    Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    if (base.toAbsolutePath().normalize().startsWith(temporary)) {
      LOG.log(Level.WARNING, "Nimbus Auth audit trail goes to " + base + ".*.jsonl, in the temporary directory, which the"
          + " system or the server may empty: set " + NimbusAuthConfig.AUDIT_FILE + " to a directory that is kept");
    }
    try {
      FileAuditSink sink = FileAuditSink.builder(base, trail.key().orElseThrow())
          .rotateBytes(trail.rotateBytes())
          .rotateDaily(trail.rotateDaily())
          .fsync(trail.fsync())
          .checkpointEvery(trail.checkpointRecords(), Duration.ofSeconds(trail.checkpointSeconds()))
          .build();
      return new Resolved(sink, sink.describe(), true);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_FILE, e.getMessage(), e);
    }
  }

  /**
   * Where the file trail goes when {@code nimbus.auth.audit.file} is not set: {@code nimbus-audit} in the
   * server's log directory (WildFly's {@code jboss.server.log.dir}, Payara's instance {@code logs}), else in
   * the temporary directory.
   */
  static Path defaultTrailBase() {
    String wildfly = System.getProperty("jboss.server.log.dir");
    if (wildfly != null) {
      return Path.of(wildfly, "nimbus-audit");
    }
    String payara = System.getProperty("com.sun.aas.instanceRoot");
    if (payara != null) {
      return Path.of(payara, "logs", "nimbus-audit");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "nimbus-audit");
  }

  // BanJNDI guards against looking up names a client chose; this name is the operator's configuration
  // (nimbus.auth.audit.datasource), and the lookup is the container's own DataSource binding.
  @SuppressWarnings("BanJNDI")
  private static Resolved jdbc(AuditTrailSettings trail) {
    String jndiName = trail.dataSource();
    DataSource dataSource;
    try {
      Object bound = new InitialContext().lookup(jndiName);
      if (!(bound instanceof DataSource found)) {
        throw new ConfigurationException(NimbusAuthConfig.AUDIT_DATASOURCE, jndiName + " is not a DataSource");
      }
      dataSource = found;
    } catch (NamingException e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_DATASOURCE, "no DataSource at " + jndiName + ": " + e.getMessage(), e);
    }
    JdbcAuditSink.Builder builder = JdbcAuditSink.builder(dataSource, jndiName, trail.key().orElseThrow())
        .checkpointEvery(trail.checkpointRecords(), Duration.ofSeconds(trail.checkpointSeconds()));
    trail.node().ifPresent(builder::node);
    JdbcAuditSink sink = builder.build();
    return new Resolved(sink, sink.describe(), true);
  }
}
