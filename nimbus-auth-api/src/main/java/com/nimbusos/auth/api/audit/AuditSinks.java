package com.nimbusos.auth.api.audit;

import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.CdiBeans;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the audit sink, first match wins: an explicit instance, the class named by {@code
 * nimbus.auth.audit.sink}, the one CDI bean implementing it, exactly one {@link ServiceLoader} provider,
 * else {@link LoggingAuditSink}. Where the application has CDI observers of {@link AuditEvent}, each event is
 * also fired to them, before the sink records it.
 */
public final class AuditSinks {

  private AuditSinks() {}

  /**
   * Resolves the sink.
   *
   * @throws ConfigurationException naming {@code nimbus.auth.audit.sink} when a sink cannot be created
   */
  public static AuditSink resolve(AuditSink explicit, NimbusAuthConfig config, ClassLoader loader) {
    AuditSink sink = resolveSink(explicit, config, loader);
    AuditEvent sample =
        new AuditEvent(java.time.Instant.EPOCH, "req_0", null, null, null, null, "allowed", "PUBLIC", "GET", "/", 0, null, false, null);
    return CdiBeans.eventFirer(AuditEvent.class, sample, loader)
        .<AuditSink>map(fire -> event -> {
          fire.accept(event);
          sink.record(event);
        })
        .orElse(sink);
  }

  private static AuditSink resolveSink(AuditSink explicit, NimbusAuthConfig config, ClassLoader loader) {
    if (explicit != null) {
      return explicit;
    }
    if (config.auditSink().isPresent()) {
      String className = config.auditSink().get();
      try {
        Class<?> type = Class.forName(className, true, loader);
        if (!AuditSink.class.isAssignableFrom(type)) {
          throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, className + " does not implement " + AuditSink.class.getName());
        }
        return (AuditSink) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, "cannot create " + className + ": " + e, e);
      }
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
      return found.bean();
    }
    try {
      List<ServiceLoader.Provider<AuditSink>> providers = ServiceLoader.load(AuditSink.class, loader).stream().toList();
      if (providers.size() > 1) {
        throw new ConfigurationException(
            NimbusAuthConfig.AUDIT_SINK,
            "several AuditSink services found " + providers.stream().map(p -> p.type().getName()).toList()
                + "; name the one to use");
      }
      return providers.isEmpty() ? new LoggingAuditSink() : providers.get(0).get();
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException(NimbusAuthConfig.AUDIT_SINK, "an AuditSink service is unusable: " + e.getMessage(), e);
    }
  }
}
