package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.EngineFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * The engine a servlet adapter (the filter, the Jakarta Security mechanism) started, with what it
 * releases when it stops: the engine's validator and audit sink, and the writer of error responses.
 * Both adapters start it the same way, through {@link EngineFactory}, so that they read the same
 * properties and find the same validator and audit sink.
 *
 * @param assembled the engine and the validator and audit sink it was built from
 * @param errors writes refusals
 * @param loader the application's class loader, under which the audit sink is published to the
 *     JAX-RS feature
 */
record StartedEngine(
    EngineFactory.Assembled assembled, ServletErrorWriter errors, ClassLoader loader) {

  /**
   * Builds the engine from the configuration (read from {@code sources} unless given) and the
   * validator (found unless given), and publishes its audit sink to the JAX-RS feature.
   *
   * @param contextPath the application's context path, which names its default audit trail
   * @throws com.nimbusos.auth.api.config.ConfigurationException when the configuration is invalid
   *     or no validator is found
   */
  static StartedEngine start(
      KeyValidator explicitValidator,
      NimbusAuthConfig explicitConfig,
      List<PropertySource> sources,
      ClassLoader loader,
      Supplier<String> contextPath) {
    EngineFactory.Assembled assembled =
        EngineFactory.forApplication(loader)
            .config(explicitConfig)
            .sources(sources)
            .validator(explicitValidator)
            .application(contextPath)
            .build();
    // The JAX-RS feature behind this adapter records the requests it decides itself into the same
    // trail.
    AuditSinks.publish(loader, assembled.audit().sink());
    return new StartedEngine(assembled, new ServletErrorWriter(), loader);
  }

  /** The engine, which decides every request. */
  AuthenticationEngine engine() {
    return assembled.engine();
  }

  /** For the start-up log line: see {@link EngineFactory.Assembled#describe()}. */
  String describe() {
    return assembled.describe();
  }

  /**
   * Withdraws the audit sink, releases the validator and the audit sink (when they were created for
   * this engine) and the JSON writer.
   */
  void stop() {
    AuditSinks.withdraw(loader, assembled.audit().sink());
    assembled.close();
    errors.close();
  }
}
