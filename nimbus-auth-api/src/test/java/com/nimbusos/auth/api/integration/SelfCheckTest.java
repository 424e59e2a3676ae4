package com.nimbusos.auth.api.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contradictory or unsafe configuration fails the deployment, naming the property. */
class SelfCheckTest {

  @TempDir Path dir;

  @Test
  void refusesPlainHttpInProductionUnlessExplicitlyAllowed() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                load(
                    Map.of(
                        "nimbus.auth.environment",
                        "production",
                        "nimbus.auth.require-https",
                        "false")));
    assertEquals("nimbus.auth.require-https", e.property());
    assertTrue(e.getMessage().contains("nimbus.auth.allow-insecure-production"), e.getMessage());
    assertFalse(
        load(Map.of(
                "nimbus.auth.environment",
                "production",
                "nimbus.auth.require-https",
                "false",
                "nimbus.auth.allow-insecure-production",
                "true"))
            .requireHttps());
    assertFalse(
        load(Map.of("nimbus.auth.environment", "sandbox", "nimbus.auth.require-https", "false"))
            .requireHttps());
  }

  @Test
  void refusesAKeysFileOfTheOtherEnvironment() throws Exception {
    String hash = HexFormat.of().formatHex(PresentedKey.of("sk_test_anything").sha256());
    Path file =
        Files.writeString(
            dir.resolve("keys.properties"),
            "key.k.sha256=" + hash + "\nkey.k.owner=acme\nkey.k.environment=sandbox\n");
    NimbusAuthConfig production =
        NimbusAuthConfig.builder().keysFile(file).environment(Environment.PRODUCTION).build();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> ValidatorResolver.resolve(null, production, getClass().getClassLoader()));
    assertEquals("nimbus.auth.keys-file", e.property());
    assertTrue(e.getMessage().contains("holds sandbox keys"), e.getMessage());
    NimbusAuthConfig sandbox =
        NimbusAuthConfig.builder().keysFile(file).environment(Environment.SANDBOX).build();
    ValidatorResolver.resolve(null, sandbox, getClass().getClassLoader());
  }

  private static NimbusAuthConfig load(Map<String, String> properties) {
    return NimbusAuthConfig.load(List.of(PropertySource.of(properties)));
  }
}
