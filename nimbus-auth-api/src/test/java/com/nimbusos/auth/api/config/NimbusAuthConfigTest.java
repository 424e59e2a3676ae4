package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NimbusAuthConfigTest {

  @Test
  void defaultsAreSecure() {
    NimbusAuthConfig config = NimbusAuthConfig.load(List.of(sandbox(Map.of())));
    assertTrue(config.requireHttps());
    assertTrue(config.publicPaths().isEmpty());
    assertTrue(config.scopeRules().isEmpty());
    assertEquals(256, config.maxKeyLength());
    assertEquals("nimbus", config.realm());
    assertEquals(Optional.of(Environment.SANDBOX), config.environment());
  }

  @Test
  void refusesToGuessTheEnvironmentAndSaysTheChoices() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> NimbusAuthConfig.load(List.of()));
    assertEquals("nimbus.auth.environment", e.property());
    assertTrue(e.getMessage().startsWith("nimbus.auth.environment: is required"), e.getMessage());
    assertTrue(
        e.getMessage().contains("'sandbox'")
            && e.getMessage().contains("'production'")
            && e.getMessage().contains("'any' for development"),
        e.getMessage());
    ConfigurationException blank =
        assertThrows(
            ConfigurationException.class,
            () ->
                NimbusAuthConfig.load(
                    List.of(PropertySource.of(Map.of("nimbus.auth.environment", " ")))));
    assertEquals("nimbus.auth.environment", blank.property());
  }

  @Test
  void acceptsKeysOfBothEnvironmentsOnlyWhenAnyIsChosen() {
    NimbusAuthConfig any =
        NimbusAuthConfig.load(
            List.of(PropertySource.of(Map.of("nimbus.auth.environment", " ANY "))));
    assertEquals(Optional.empty(), any.environment());
    assertTrue(any.toString().contains("environment=any"), any.toString());
    NimbusAuthConfig production =
        NimbusAuthConfig.load(
            List.of(PropertySource.of(Map.of("nimbus.auth.environment", "production"))));
    assertTrue(production.toString().contains("environment=production"), production.toString());
    assertFalse(production.toString().contains("any"), production.toString());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                NimbusAuthConfig.load(
                    List.of(PropertySource.of(Map.of("nimbus.auth.environment", "both")))));
    assertTrue(e.getMessage().contains("'any' for development"), e.getMessage());
  }

  @Test
  void theBuilderTooNeedsAnEnvironmentChosen() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> NimbusAuthConfig.builder().build());
    assertEquals("nimbus.auth.environment", e.property());
    assertThrows(NullPointerException.class, () -> NimbusAuthConfig.builder().environment(null));
    assertEquals(
        Optional.empty(), NimbusAuthConfig.builder().anyEnvironment().build().environment());
    assertEquals(
        Optional.of(Environment.PRODUCTION),
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .environment(Environment.PRODUCTION)
            .build()
            .environment());
  }

  @Test
  void readsEveryProperty() {
    NimbusAuthConfig config =
        NimbusAuthConfig.load(
            List.of(
                PropertySource.of(
                    Map.of(
                        "nimbus.auth.validator", "com.example.MyValidator",
                        "nimbus.auth.keys-file", "/etc/nimbus/keys.properties",
                        "nimbus.auth.environment", "Production",
                        "nimbus.auth.require-https", "false",
                        "nimbus.auth.allow-insecure-production", "true",
                        "nimbus.auth.public-paths", "/health, /metrics/*",
                        "nimbus.auth.scope-rules",
                            "GET /orders/* = orders:read\nPOST /orders/*=orders:write",
                        "nimbus.auth.max-key-length", "128",
                        "nimbus.auth.realm", "partners"))));
    assertEquals(Optional.of("com.example.MyValidator"), config.validatorClass());
    assertEquals(Optional.of(Path.of("/etc/nimbus/keys.properties")), config.keysFile());
    assertEquals(Optional.of(Environment.PRODUCTION), config.environment());
    assertFalse(config.requireHttps());
    assertEquals("[/health, /metrics/*]", config.publicPaths().toString());
    assertEquals(2, config.scopeRules().size());
    assertEquals(128, config.maxKeyLength());
    assertEquals("partners", config.realm());
  }

  @Test
  void indexesEveryKeyOnlyWhenAsked() {
    assertFalse(NimbusAuthConfig.load(List.of(sandbox(Map.of()))).storeIndex());
    NimbusAuthConfig config =
        NimbusAuthConfig.load(
            List.of(
                sandbox(
                    Map.of(
                        "nimbus.auth.store",
                        "json-file",
                        "nimbus.auth.store.path",
                        "/var/nimbus/keys.json",
                        "nimbus.auth.store.index",
                        "true"))));
    assertTrue(config.storeIndex());
    assertTrue(config.toString().contains("all keys indexed"), config.toString());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                NimbusAuthConfig.load(List.of(sandbox(Map.of("nimbus.auth.store.index", "yes")))));
    assertTrue(e.getMessage().startsWith("nimbus.auth.store.index"), e.getMessage());
  }

  @Test
  void takesEachPropertyFromTheFirstSourceThatHasIt() {
    PropertySource initParams = PropertySource.of(Map.of("nimbus.auth.realm", "first"));
    PropertySource contextParams =
        sandbox(Map.of("nimbus.auth.realm", "second", "nimbus.auth.require-https", "false"));
    NimbusAuthConfig config = NimbusAuthConfig.load(List.of(initParams, contextParams));
    assertEquals("first", config.realm());
    assertFalse(config.requireHttps());
  }

  @Test
  void namesTheUnknownPropertyInsteadOfIgnoringATypo() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                NimbusAuthConfig.load(
                    List.of(sandbox(Map.of("nimbus.auth.requires-https", "false")))));
    assertEquals("nimbus.auth.requires-https", e.property());
  }

  @Test
  void namesThePropertyWithAnInvalidValue() {
    assertInvalid("nimbus.auth.require-https", "yes");
    assertInvalid("nimbus.auth.environment", "staging");
    assertInvalid("nimbus.auth.max-key-length", "lots");
    assertInvalid("nimbus.auth.max-key-length", "8");
    assertInvalid("nimbus.auth.public-paths", "health");
    assertInvalid("nimbus.auth.public-paths", "/he*lth");
    assertInvalid("nimbus.auth.scope-rules", "GET /orders");
    assertInvalid("nimbus.auth.scope-rules", "GET /orders =");
    assertInvalid("nimbus.auth.realm", "a\"b");
  }

  @Test
  void believesXForwardedForFromTrustedProxiesUnlessForwardedIsChosen() {
    NimbusAuthConfig byDefault =
        NimbusAuthConfig.load(
            List.of(
                PropertySource.of(
                    Map.of(
                        "nimbus.auth.environment",
                        "sandbox",
                        "nimbus.auth.trusted-proxies",
                        "10.0.0.0/8"))));
    assertEquals(NimbusAuthConfig.ProxyHeader.X_FORWARDED_FOR, byDefault.trustedProxyHeader());
    assertTrue(
        byDefault.toString().contains("trustedProxyHeader=x-forwarded-for"), byDefault.toString());
    NimbusAuthConfig forwarded =
        NimbusAuthConfig.load(
            List.of(
                PropertySource.of(
                    Map.of(
                        "nimbus.auth.environment",
                        "sandbox",
                        "nimbus.auth.trusted-proxies",
                        "10.0.0.0/8",
                        "nimbus.auth.trusted-proxy-header",
                        " Forwarded"))));
    assertEquals(NimbusAuthConfig.ProxyHeader.FORWARDED, forwarded.trustedProxyHeader());
    assertTrue(forwarded.toString().contains("trustedProxyHeader=forwarded"), forwarded.toString());
    assertInvalid("nimbus.auth.trusted-proxy-header", "x-real-ip");
    assertInvalid("nimbus.auth.trusted-proxy-header", "x-forwarded-proto");
  }

  @Test
  void readsTheKeyStoreSettings() {
    NimbusAuthConfig config =
        NimbusAuthConfig.load(
            List.of(
                sandbox(
                    Map.of(
                        "nimbus.auth.store", "JDBC",
                        "nimbus.auth.store.datasource", "java:jboss/datasources/NimbusDS",
                        "nimbus.auth.store.poll-millis", "100",
                        "nimbus.auth.pepper", "0123456789abcdef0123456789abcdef"))));
    assertEquals(Optional.of(NimbusAuthConfig.StoreKind.JDBC), config.store());
    assertEquals("java:jboss/datasources/NimbusDS", config.storeDataSource());
    assertEquals(100, config.storePollMillis());
    assertTrue(config.pepper().isPresent());
    assertEquals(
        "java:comp/DefaultDataSource",
        NimbusAuthConfig.builder().anyEnvironment().build().storeDataSource());
  }

  @Test
  void refusesContradictoryOrIncompleteStoreSettings() {
    assertEquals(
        "nimbus.auth.store",
        assertThrows(
                ConfigurationException.class,
                () ->
                    NimbusAuthConfig.load(
                        List.of(
                            sandbox(
                                Map.of(
                                    "nimbus.auth.store",
                                    "jdbc",
                                    "nimbus.auth.keys-file",
                                    "/k.properties")))))
            .property());
    assertEquals(
        "nimbus.auth.store.path",
        assertThrows(
                ConfigurationException.class,
                () ->
                    NimbusAuthConfig.load(
                        List.of(sandbox(Map.of("nimbus.auth.store", "json-file")))))
            .property());
    assertInvalid("nimbus.auth.store", "redis");
    assertInvalid("nimbus.auth.store.poll-millis", "5000");
  }

  @Test
  void neverPrintsThePepper() {
    String pepper = "short-pepper";
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> NimbusAuthConfig.load(List.of(sandbox(Map.of("nimbus.auth.pepper", pepper)))));
    assertEquals("nimbus.auth.pepper", e.property());
    assertFalse(e.getMessage().contains(pepper), e.getMessage());
    String longPepper = "0123456789abcdef0123456789abcdef-secret";
    NimbusAuthConfig config =
        NimbusAuthConfig.load(List.of(sandbox(Map.of("nimbus.auth.pepper", longPepper))));
    assertFalse(config.toString().contains("secret"), config.toString());
  }

  @Test
  void neverMentionsAnyKeyInItsDescription() {
    assertTrue(
        NimbusAuthConfig.load(List.of(sandbox(Map.of())))
            .toString()
            .startsWith("NimbusAuthConfig["));
  }

  @Test
  void refusesSettingsThatWouldBeSilentlyIgnoredNamingBoth() {
    for (String setting :
        List.of(
            "nimbus.auth.store.path",
            "nimbus.auth.store.datasource",
            "nimbus.auth.store.poll-millis",
            "nimbus.auth.store.index")) {
      String value = setting.endsWith("index") ? "true" : setting.endsWith("millis") ? "100" : "/x";
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () -> NimbusAuthConfig.load(List.of(sandbox(Map.of(setting, value)))),
              setting);
      assertEquals(setting, e.property());
      assertTrue(
          e.getMessage().contains("nimbus.auth.store ") && e.getMessage().contains("ignored"),
          e.getMessage());
    }
    String pepper = "p".repeat(32);
    for (Map.Entry<String, String> other :
        Map.of(
                "nimbus.auth.keys-file",
                "/etc/keys.properties",
                "nimbus.auth.validator",
                "com.example.Mine")
            .entrySet()) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  NimbusAuthConfig.load(
                      List.of(
                          sandbox(
                              Map.of(
                                  "nimbus.auth.pepper",
                                  pepper,
                                  other.getKey(),
                                  other.getValue())))));
      assertEquals("nimbus.auth.pepper", e.property());
      assertTrue(e.getMessage().contains(other.getKey()), e.getMessage());
    }
    assertTrue(
        NimbusAuthConfig.load(
                List.of(
                    sandbox(
                        Map.of(
                            "nimbus.auth.pepper",
                            pepper,
                            "nimbus.auth.store",
                            "jdbc",
                            "nimbus.auth.store.poll-millis",
                            "100"))))
            .pepper()
            .isPresent(),
        "with a store, both mean something");
  }

  private static void assertInvalid(String property, String value) {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> NimbusAuthConfig.load(List.of(sandbox(Map.of(property, value)))),
            property + "=" + value);
    assertEquals(property, e.property());
    assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
  }

  /**
   * {@code properties}, with {@code nimbus.auth.environment=sandbox} unless they choose another.
   */
  private static PropertySource sandbox(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.putIfAbsent("nimbus.auth.environment", "sandbox");
    return PropertySource.of(all);
  }
}
