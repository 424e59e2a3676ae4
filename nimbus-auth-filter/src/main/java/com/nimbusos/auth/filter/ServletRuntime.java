package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import com.nimbusos.auth.api.metrics.AuthMetricsResolver;
import java.time.Clock;
import java.util.List;

/**
 * What a servlet adapter (the filter, the Jakarta Security mechanism) runs on once started: the
 * engine, the validator and audit sink it resolved, and the writer of error responses. Built the
 * same way for both, so that they read the same properties and find the same validator and audit
 * sink.
 *
 * @param engine decides every request
 * @param validator the validator and where it came from
 * @param audit the audit sink and where it came from
 * @param errors writes refusals
 * @param loader the application's class loader, under which the audit sink is published to the
 *     JAX-RS feature
 */
record ServletRuntime(
    AuthenticationEngine engine,
    ValidatorResolver.Resolved validator,
    AuditSinks.Resolved audit,
    ServletErrorWriter errors,
    ClassLoader loader) {

  /**
   * Reads the configuration (unless given), resolves the validator (unless given), the audit sink
   * and the metrics.
   *
   * @param contextPath the application's context path, which names its default audit trail
   * @throws com.nimbusos.auth.api.config.ConfigurationException when the configuration is invalid
   *     or no validator is found
   */
  static ServletRuntime start(
      KeyValidator explicitValidator,
      NimbusAuthConfig explicitConfig,
      List<PropertySource> sources,
      ClassLoader loader,
      java.util.function.Supplier<String> contextPath) {
    NimbusAuthConfig config =
        explicitConfig != null ? explicitConfig : NimbusAuthConfig.load(sources);
    ValidatorResolver.Resolved resolved =
        ValidatorResolver.resolve(explicitValidator, config, loader);
    AuditSinks.Resolved audit = null;
    AuthenticationEngine engine;
    try {
      audit = AuditSinks.open(null, config, loader, contextPath.get());
      engine =
          new AuthenticationEngine(
              resolved.validator(),
              config,
              audit.sink(),
              AuthMetricsResolver.resolve(null, config, loader),
              Clock.systemUTC());
    } catch (RuntimeException e) {
      resolved.closeIfOwned();
      if (audit != null) {
        audit.closeIfOwned();
      }
      throw e;
    }
    // The JAX-RS feature behind this adapter records the requests it decides itself into the same
    // trail.
    AuditSinks.publish(loader, audit.sink());
    return new ServletRuntime(engine, resolved, audit, new ServletErrorWriter(), loader);
  }

  /**
   * A description for the start-up log line: where the validator came from, where the audit trail
   * goes, the metrics, the configuration.
   */
  String describe() {
    return describe(validator.source());
  }

  /** {@link #describe()}, naming {@code validatorSource} as where the validator came from. */
  String describe(String validatorSource) {
    return "validator from "
        + validatorSource
        + ", audit to "
        + audit.source()
        + ", metrics to "
        + engine.metrics().describe()
        + ", "
        + engine.config();
  }

  /**
   * Releases the validator and the audit sink (when this runtime created them) and the JSON writer.
   */
  void stop() {
    AuditSinks.withdraw(loader, audit.sink());
    validator.closeIfOwned();
    audit.closeIfOwned();
    errors.close();
  }
}
