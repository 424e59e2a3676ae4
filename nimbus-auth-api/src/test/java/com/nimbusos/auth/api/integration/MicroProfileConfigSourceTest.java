package com.nimbusos.auth.api.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.MicroProfileConfigSource;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The documented precedence, first wins: filter init-params (or JAX-RS configuration), servlet
 * context-params, MicroProfile Config (its own order: system properties, environment variables such
 * as NIMBUS_AUTH_REALM, then microprofile-config.properties), then system properties.
 */
class MicroProfileConfigSourceTest {

  private final ClassLoader application =
      new URLClassLoader(new URL[0], getClass().getClassLoader());

  @AfterEach
  void release() {
    ConfigProviderResolver.instance()
        .releaseConfig(ConfigProviderResolver.instance().getConfig(application));
  }

  private PropertySource microProfile(Map<String, String> file) {
    ConfigProviderResolver.instance()
        .registerConfig(
            new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withSources(
                    new PropertiesConfigSource(file, "microprofile-config.properties", 100))
                .build(),
            application);
    return MicroProfileConfigSource.of(application).orElseThrow();
  }

  @Test
  void followsTheDocumentedPrecedence() {
    PropertySource mp =
        microProfile(
            Map.of(
                "nimbus.auth.environment", "production",
                "nimbus.auth.public-paths", "/from-mp",
                "nimbus.auth.max-key-length", "100",
                "nimbus.auth.scope-rules", "/admin/* = admin"));
    PropertySource initParams =
        PropertySource.of(Map.of("nimbus.auth.public-paths", "/from-init-param"));
    PropertySource contextParams =
        PropertySource.of(
            Map.of(
                "nimbus.auth.public-paths", "/from-context", "nimbus.auth.max-key-length", "64"));
    NimbusAuthConfig config =
        NimbusAuthConfig.load(
            List.of(initParams, contextParams, mp, PropertySource.systemProperties()));
    assertEquals(
        "[/from-init-param]", config.publicPaths().toString(), "init-params beat everything");
    assertEquals(64, config.maxKeyLength(), "context-params beat MicroProfile Config");
    assertEquals(
        Optional.of(Environment.PRODUCTION),
        config.environment(),
        "microprofile-config.properties is read");
    assertEquals(1, config.scopeRules().size());
    assertEquals(
        "from-environment",
        config.realm(),
        "NIMBUS_AUTH_REALM (set by the build) beats the properties file");
  }

  @Test
  void seesSystemPropertiesThroughMicroProfileConfigAboveItsFile() {
    System.setProperty("nimbus.auth.max-key-length", "99");
    try {
      PropertySource mp =
          microProfile(
              Map.of("nimbus.auth.environment", "sandbox", "nimbus.auth.max-key-length", "100"));
      assertEquals(99, NimbusAuthConfig.load(List.of(mp)).maxKeyLength());
    } finally {
      System.clearProperty("nimbus.auth.max-key-length");
    }
  }

  @Test
  void reportsAMisspeltPropertyInMicroprofileConfigProperties() {
    PropertySource mp = microProfile(Map.of("nimbus.auth.enviroment", "production"));
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> NimbusAuthConfig.load(List.of(mp)));
    assertEquals("nimbus.auth.enviroment", e.property());
  }

  @Test
  void isAbsentWhereThePlatformHasNoMicroProfileConfig() {
    ClassLoader bare = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
    assertTrue(MicroProfileConfigSource.of(bare).isEmpty());
    assertFalse(MicroProfileConfigSource.of(application).isEmpty());
  }
}
