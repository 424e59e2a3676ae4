package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.config.NimbusAuthConfig.MetricsKind;
import com.nimbusos.auth.api.config.NimbusAuthConfig.ProxyHeader;
import com.nimbusos.auth.api.config.NimbusAuthConfig.StoreKind;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each setting is read from its own property, and each numeric one accepts exactly its documented
 * range: the lowest and highest values pass and are kept, one step beyond either is refused naming
 * the property. Written against the mutants PIT found surviving in the configuration
 * (docs/quality.md).
 */
class SettingBoundsTest {

  private static final String PEPPER = "a-pepper-of-at-least-thirty-two-bytes-0123";
  private static final String AUDIT_KEY = "an-audit-key-of-at-least-32-bytes-0123456789";

  @Test
  void readsTheSettingsNoOtherTestReadsFromTheirProperties() {
    NimbusAuthConfig config =
        load(
            Map.ofEntries(
                Map.entry("nimbus.auth.store", "json-file"),
                Map.entry("nimbus.auth.store.path", "/var/lib/nimbus/keys.json"),
                Map.entry("nimbus.auth.store.poll-millis", "100"),
                Map.entry("nimbus.auth.store.index", "true"),
                Map.entry("nimbus.auth.store.cache-keys", "5000"),
                Map.entry("nimbus.auth.pepper", PEPPER),
                Map.entry("nimbus.auth.trusted-proxies", "10.0.0.0/8, 192.0.2.7"),
                Map.entry("nimbus.auth.trusted-proxy-header", "forwarded"),
                Map.entry("nimbus.auth.throttle.max-failures", "7"),
                Map.entry("nimbus.auth.throttle.window-seconds", "30"),
                Map.entry("nimbus.auth.throttle.max-clients", "500"),
                Map.entry("nimbus.auth.audit.fail-closed", "false"),
                Map.entry("nimbus.auth.cors", "true"),
                Map.entry(
                    "nimbus.auth.cors.allowed-origins",
                    "https://App.example.com, http://localhost:8080"),
                Map.entry("nimbus.auth.metrics", "none"),
                Map.entry("nimbus.auth.firewall.allowed-methods", "GET, POST"),
                Map.entry("nimbus.auth.firewall.allow-jsessionid", "true"),
                Map.entry("nimbus.auth.deny-uncovered-methods", "false"),
                Map.entry("nimbus.auth.anomaly.rate-multiple", "5"),
                Map.entry("nimbus.auth.anomaly.rate-min-requests", "50"),
                Map.entry("nimbus.auth.anomaly.spray-addresses", "20")));
    assertEquals(Optional.of(StoreKind.JSON_FILE), config.store());
    assertEquals(Optional.of(Path.of("/var/lib/nimbus/keys.json")), config.storePath());
    assertEquals(100, config.storePollMillis());
    assertTrue(config.storeIndex());
    assertEquals(5000, config.storeCacheKeys());
    assertEquals(
        PEPPER, new String(config.pepper().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("[10.0.0.0/8, 192.0.2.7]", config.trustedProxies().toString());
    assertEquals(ProxyHeader.FORWARDED, config.trustedProxyHeader());
    assertEquals(7, config.throttleMaxFailures());
    assertEquals(30, config.throttleWindowSeconds());
    assertEquals(500, config.throttleMaxClients());
    assertFalse(config.auditFailClosed());
    assertTrue(config.cors());
    assertEquals(
        Set.of("https://app.example.com", "http://localhost:8080"), config.corsAllowedOrigins());
    assertEquals(MetricsKind.NONE, config.metrics());
    assertEquals(Set.of("GET", "POST"), config.allowedMethods());
    assertTrue(config.allowJsessionid());
    assertFalse(config.denyUncoveredMethods());
    assertEquals(5, config.anomalyRateMultiple());
    assertEquals(50, config.anomalyRateMinRequests());
    assertEquals(20, config.anomalySprayAddresses());
    assertEquals(
        "NimbusAuthConfig[validator=null, keysFile=null, environment=sandbox, requireHttps=true, publicPaths=[],"
            + " scopeRules=0, maxKeyLength=256, store=JSON_FILE /var/lib/nimbus/keys.json (all keys indexed), pepper=set,"
            + " trustedProxies=[10.0.0.0/8, 192.0.2.7], trustedProxyHeader=forwarded, throttle=7/30s, cors=preflight,"
            + " metrics=none, allowedMethods=[GET, POST], jsessionid=tolerated]",
        config.toString());
  }

  @Test
  void describesTheDefaultsBriefly() {
    NimbusAuthConfig config = load(Map.of("nimbus.auth.throttle.max-failures", "0"));
    assertFalse(config.allowJsessionid());
    assertTrue(config.auditFailClosed());
    assertEquals(
        "NimbusAuthConfig[validator=null, keysFile=null, environment=sandbox, requireHttps=true, publicPaths=[],"
            + " scopeRules=0, maxKeyLength=256, throttle=off, metrics=auto]",
        config.toString());
  }

  @Test
  void eachNumericSettingAcceptsItsWholeRangeAndNothingBeyond() {
    assertRange("nimbus.auth.max-key-length", 16, 8192, NimbusAuthConfig::maxKeyLength);
    assertRange(
        "nimbus.auth.throttle.max-failures", 0, 100_000, NimbusAuthConfig::throttleMaxFailures);
    assertRange(
        "nimbus.auth.throttle.window-seconds", 1, 86_400, NimbusAuthConfig::throttleWindowSeconds);
    assertRange(
        "nimbus.auth.throttle.max-clients", 100, 10_000_000, NimbusAuthConfig::throttleMaxClients);
    assertRange(
        "nimbus.auth.anomaly.rate-min-requests",
        1,
        1_000_000,
        NimbusAuthConfig::anomalyRateMinRequests);
    assertRange(
        "nimbus.auth.anomaly.rate-multiple", 2, 1000, NimbusAuthConfig::anomalyRateMultiple);
    assertRange(
        "nimbus.auth.anomaly.spray-addresses", 2, 10_000, NimbusAuthConfig::anomalySprayAddresses);
    assertEquals(
        0,
        load(Map.of("nimbus.auth.anomaly.rate-multiple", "0")).anomalyRateMultiple(),
        "0 is off");
    assertEquals(
        0,
        load(Map.of("nimbus.auth.anomaly.spray-addresses", "0")).anomalySprayAddresses(),
        "0 is off");
    Map<String, String> store =
        Map.of("nimbus.auth.store", "json-file", "nimbus.auth.store.path", "/k.json");
    assertRange("nimbus.auth.store.poll-millis", 10, 900, NimbusAuthConfig::storePollMillis, store);
    assertRange(
        "nimbus.auth.store.cache-keys", 1000, 1 << 30, NimbusAuthConfig::storeCacheKeys, store);
  }

  @Test
  void eachTrailSettingAcceptsItsWholeRangeAndNothingBeyond() {
    Map<String, String> file =
        Map.of(
            "nimbus.auth.audit.sink",
            "file",
            "nimbus.auth.audit.file",
            "/var/log/a",
            "nimbus.auth.audit.key",
            AUDIT_KEY);
    assertRange(
        "nimbus.auth.audit.checkpoint-records",
        1,
        1_000_000,
        c -> c.auditTrail().checkpointRecords(),
        file);
    assertRange(
        "nimbus.auth.audit.checkpoint-seconds",
        1,
        3600,
        c -> c.auditTrail().checkpointSeconds(),
        file);
    assertEquals(
        64L << 10,
        load(with(file, "nimbus.auth.audit.rotate-size", "64k")).auditTrail().rotateBytes());
    assertEquals(
        1L << 30,
        load(with(file, "nimbus.auth.audit.rotate-size", "1g")).auditTrail().rotateBytes());
    assertRefused(
        "nimbus.auth.audit.rotate-size", with(file, "nimbus.auth.audit.rotate-size", "63k"));
    assertRefused(
        "nimbus.auth.audit.rotate-size", with(file, "nimbus.auth.audit.rotate-size", "1025m"));
    assertRefused(
        "nimbus.auth.audit.key", with(file, "nimbus.auth.audit.key", AUDIT_KEY.substring(0, 31)));
    assertEquals(
        32,
        load(with(file, "nimbus.auth.audit.key", AUDIT_KEY.substring(0, 32)))
            .auditTrail()
            .key()
            .orElseThrow()
            .length);
  }

  @Test
  void refusesEachTrailSettingThatTheChosenSinkWouldIgnore() {
    Map<String, String> jdbc =
        Map.of(
            "nimbus.auth.audit.sink",
            "jdbc",
            "nimbus.auth.audit.datasource",
            "java:/ds",
            "nimbus.auth.audit.key",
            AUDIT_KEY);
    for (String fileOnly :
        List.of(
            "audit.file=/var/log/a",
            "audit.rotate-size=1m",
            "audit.rotate-daily=false",
            "audit.fsync=batch")) {
      String[] setting = fileOnly.split("=", -1);
      ConfigurationException e =
          assertRefused(
              "nimbus.auth." + setting[0], with(jdbc, "nimbus.auth." + setting[0], setting[1]));
      assertTrue(
          e.getMessage().contains("applies only with nimbus.auth.audit.sink=file,"),
          e.getMessage());
    }
    Map<String, String> file =
        Map.of(
            "nimbus.auth.audit.sink",
            "file",
            "nimbus.auth.audit.file",
            "/var/log/a",
            "nimbus.auth.audit.key",
            AUDIT_KEY);
    for (String jdbcOnly : List.of("audit.node=node-1", "audit.datasource=java:/ds")) {
      String[] setting = jdbcOnly.split("=", -1);
      ConfigurationException e =
          assertRefused(
              "nimbus.auth." + setting[0], with(file, "nimbus.auth." + setting[0], setting[1]));
      assertTrue(
          e.getMessage().contains("applies only with nimbus.auth.audit.sink=jdbc,"),
          e.getMessage());
    }
    for (String trailOnly :
        List.of(
            "audit.key=" + AUDIT_KEY,
            "audit.checkpoint-records=10",
            "audit.checkpoint-seconds=10")) {
      String[] setting = trailOnly.split("=", -1);
      // With no sink named they apply to the default file trail; the log would ignore them.
      ConfigurationException e =
          assertRefused(
              "nimbus.auth." + setting[0],
              Map.of("nimbus.auth.audit.sink", "logging", "nimbus.auth." + setting[0], setting[1]));
      assertTrue(
          e.getMessage().contains("applies only with nimbus.auth.audit.sink=file or jdbc,"),
          e.getMessage());
    }
    assertEquals(
        "node-1",
        load(with(jdbc, "nimbus.auth.audit.node", "node-1")).auditTrail().node().orElseThrow());
  }

  @Test
  void corsOriginsAreOneStarOrOriginsNeverBoth() {
    Map<String, String> cors = Map.of("nimbus.auth.cors", "true");
    assertEquals(
        Set.of("*"),
        load(with(cors, "nimbus.auth.cors.allowed-origins", "*")).corsAllowedOrigins());
    assertRefused(
        "nimbus.auth.cors.allowed-origins",
        with(cors, "nimbus.auth.cors.allowed-origins", "*, https://a.example"));
    assertRefused(
        "nimbus.auth.cors.allowed-origins", with(cors, "nimbus.auth.cors.allowed-origins", " , "));
    assertRefused(
        "nimbus.auth.cors.allowed-origins",
        with(cors, "nimbus.auth.cors.allowed-origins", "ftp://a.example"));
  }

  private static void assertRange(
      String property,
      int lowest,
      int highest,
      java.util.function.ToIntFunction<NimbusAuthConfig> read) {
    assertRange(property, lowest, highest, read, Map.of());
  }

  private static void assertRange(
      String property,
      int lowest,
      int highest,
      java.util.function.ToIntFunction<NimbusAuthConfig> read,
      Map<String, String> others) {
    assertEquals(
        lowest, read.applyAsInt(load(with(others, property, Integer.toString(lowest)))), property);
    assertEquals(
        highest,
        read.applyAsInt(load(with(others, property, Integer.toString(highest)))),
        property);
    assertRefused(property, with(others, property, Integer.toString(lowest - 1)));
    assertRefused(property, with(others, property, Long.toString(highest + 1L)));
  }

  private static ConfigurationException assertRefused(
      String property, Map<String, String> properties) {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> load(properties), property + " in " + properties);
    assertEquals(property, e.property(), e.getMessage());
    return e;
  }

  private static Map<String, String> with(
      Map<String, String> others, String property, String value) {
    Map<String, String> all = new HashMap<>(others);
    all.put(property, value);
    return all;
  }

  private static NimbusAuthConfig load(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.putIfAbsent("nimbus.auth.environment", "sandbox");
    return NimbusAuthConfig.load(List.of(PropertySource.of(all)));
  }
}
