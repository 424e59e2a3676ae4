package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.MicroProfileConfigSource;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import jakarta.ws.rs.core.Configuration;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link KeyManagement} a resource built without one uses: made once per application (class loader)
 * from the same sources the JAX-RS feature reads, the application's JAX-RS properties, MicroProfile Config,
 * then system properties. A configuration that cannot make one is not remembered, so fixing it (a store
 * file created, a data source bound) needs no redeployment. The map lives in this jar's class loader, the
 * application's, so it goes with the application; its stores hold no thread to stop.
 */
final class KeyManagements {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");
  private static final Map<ClassLoader, KeyManagement> BY_APPLICATION = new HashMap<>();

  private KeyManagements() {}

  /**
   * The application's management.
   *
   * @throws ConfigurationException when the configuration offers no key store to manage
   */
  static KeyManagement forApplication(Configuration configuration) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    synchronized (BY_APPLICATION) {
      KeyManagement known = BY_APPLICATION.get(loader);
      if (known != null) {
        return known;
      }
      try {
        KeyManagement made = KeyManagement.fromConfiguration(NimbusAuthConfig.load(sources(configuration, loader)), loader);
        BY_APPLICATION.put(loader, made);
        LOG.log(Level.INFO, "Nimbus Auth key management API active: " + made);
        return made;
      } catch (ConfigurationException e) {
        LOG.log(Level.ERROR, "Nimbus Auth key management API cannot start: " + e.getMessage()
            + "; it answers 503 until the configuration is fixed");
        throw e;
      }
    }
  }

  private static List<PropertySource> sources(Configuration configuration, ClassLoader loader) {
    Map<String, Object> properties = new HashMap<>();
    if (configuration != null) {
      configuration.getProperties().forEach((name, value) -> {
        if (value != null) {
          properties.put(name, value);
        }
      });
    }
    List<PropertySource> sources = new ArrayList<>();
    sources.add(PropertySource.of(properties));
    MicroProfileConfigSource.of(loader).ifPresent(sources::add);
    sources.add(PropertySource.systemProperties());
    return sources;
  }
}
