package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditTrailSettingsTest {

  private static final String KEY = "an-audit-key-of-at-least-32-bytes-0123456789";

  @Test
  void withNoSinkNamedTheDefaultIsLeftToTheResolver() {
    AuditTrailSettings trail = load().auditTrail();
    assertEquals(AuditTrailSettings.Kind.DEFAULT, trail.kind());
    assertEquals(Optional.empty(), trail.key());
    assertEquals(
        AuditTrailSettings.Kind.LOGGING,
        load("nimbus.auth.audit.sink", "logging").auditTrail().kind());
  }

  @Test
  void fileTrailSettingsWithNoSinkNamedApplyToTheDefaultTrail() {
    AuditTrailSettings located = load("nimbus.auth.audit.file", "/var/log/a").auditTrail();
    assertEquals(AuditTrailSettings.Kind.DEFAULT, located.kind());
    assertTrue(located.hasFileSettings());
    assertEquals(Optional.of(Path.of("/var/log/a")), located.file());
    AuditTrailSettings signed = load("nimbus.auth.audit.key", KEY).auditTrail();
    assertArrayEquals(KEY.getBytes(StandardCharsets.UTF_8), signed.key().orElseThrow());
    assertFalse(load().auditTrail().hasFileSettings());
  }

  @Test
  void theDefaultFileTrailWithoutTheKeyIsUnsignedAndSaysSo() {
    NimbusAuthConfig config = load("nimbus.auth.audit.file", "/var/log/a");
    assertEquals(Optional.empty(), config.auditTrail().key());
    assertTrue(
        config.toString().contains(", audit=default file /var/log/a, unsigned,"),
        config.toString());
  }

  @Test
  void readsTheFileTrailSettings() {
    NimbusAuthConfig config =
        load(
            "nimbus.auth.audit.sink", "file",
            "nimbus.auth.audit.file", "/var/log/nimbus/audit",
            "nimbus.auth.audit.rotate-size", "16m",
            "nimbus.auth.audit.rotate-daily", "false",
            "nimbus.auth.audit.fsync", "batch",
            "nimbus.auth.audit.key", KEY,
            "nimbus.auth.audit.checkpoint-records", "500",
            "nimbus.auth.audit.checkpoint-seconds", "5");
    AuditTrailSettings trail = config.auditTrail();
    assertEquals(AuditTrailSettings.Kind.FILE, trail.kind());
    assertEquals(Optional.of(Path.of("/var/log/nimbus/audit")), trail.file());
    assertEquals(16L << 20, trail.rotateBytes());
    assertFalse(trail.rotateDaily());
    assertEquals(FileAuditSink.Fsync.BATCH, trail.fsync());
    assertArrayEquals(KEY.getBytes(StandardCharsets.UTF_8), trail.key().orElseThrow());
    assertEquals(500, trail.checkpointRecords());
    assertEquals(5, trail.checkpointSeconds());
    assertTrue(
        config
            .toString()
            .contains(", audit=file /var/log/nimbus/audit, 16384 KiB files, fsync=batch, key set,"),
        config.toString());
    assertFalse(config.toString().contains(KEY));
  }

  @Test
  void theFileTrailDefaultsToDailyFilesOf64MiBWrittenBackByTheKernel() {
    AuditTrailSettings trail =
        load("nimbus.auth.audit.sink", "file", "nimbus.auth.audit.key", KEY).auditTrail();
    assertEquals(Optional.empty(), trail.file());
    assertEquals(64L << 20, trail.rotateBytes());
    assertTrue(trail.rotateDaily());
    assertEquals(FileAuditSink.Fsync.NONE, trail.fsync());
    assertEquals(1000, trail.checkpointRecords());
    assertEquals(10, trail.checkpointSeconds());
  }

  @Test
  void readsTheJdbcTrailSettingsAndUsesTheKeyStoresDataSourceUnlessTold() {
    AuditTrailSettings trail =
        load(
                "nimbus.auth.audit.sink",
                "jdbc",
                "nimbus.auth.audit.key",
                KEY,
                "nimbus.auth.store.datasource",
                "java:jboss/datasources/Nimbus",
                "nimbus.auth.audit.node",
                "web-1")
            .auditTrail();
    assertEquals(AuditTrailSettings.Kind.JDBC, trail.kind());
    assertEquals("java:jboss/datasources/Nimbus", trail.dataSource());
    assertEquals(Optional.of("web-1"), trail.node());
    assertEquals(
        "java:jboss/datasources/Audit",
        load(
                "nimbus.auth.audit.sink",
                "jdbc",
                "nimbus.auth.audit.key",
                KEY,
                "nimbus.auth.audit.datasource",
                "java:jboss/datasources/Audit")
            .auditTrail()
            .dataSource());
  }

  @Test
  void aNamedDurableTrailRequiresTheAuditKey() {
    for (String sink :
        List.of(
            "file",
            "jdbc",
            FileAuditSink.class.getName(),
            "com.nimbusos.auth.api.audit.trail.JdbcAuditSink")) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> load("nimbus.auth.audit.sink", sink));
      assertEquals("nimbus.auth.audit.key", e.property());
      assertTrue(
          e.getMessage().contains("is required with nimbus.auth.audit.sink="), e.getMessage());
      assertTrue(
          e.getMessage()
              .contains("leave nimbus.auth.audit.sink unset for the default, unsigned file trail"),
          e.getMessage());
    }
  }

  @Test
  void refusesASettingTheChosenSinkWouldIgnore() {
    assertRefused(
        "nimbus.auth.audit.file",
        "applies only with nimbus.auth.audit.sink=file",
        "nimbus.auth.audit.sink",
        "logging",
        "nimbus.auth.audit.file",
        "/var/log/a");
    assertRefused(
        "nimbus.auth.audit.fsync",
        "applies only with nimbus.auth.audit.sink=file",
        "nimbus.auth.audit.sink",
        "jdbc",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.fsync",
        "batch");
    assertRefused(
        "nimbus.auth.audit.node",
        "applies only with nimbus.auth.audit.sink=jdbc",
        "nimbus.auth.audit.sink",
        "file",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.node",
        "web-1");
    assertRefused(
        "nimbus.auth.audit.key",
        "applies only with nimbus.auth.audit.sink=file or jdbc",
        "nimbus.auth.audit.sink",
        "com.example.MySink",
        "nimbus.auth.audit.key",
        KEY);
  }

  @Test
  void namesThePropertyWithAnInvalidValue() {
    assertRefused(
        "nimbus.auth.audit.rotate-size",
        "invalid value '64 elephants'",
        "nimbus.auth.audit.sink",
        "file",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.rotate-size",
        "64 elephants");
    assertRefused(
        "nimbus.auth.audit.rotate-size",
        "must be between 64k and 1g",
        "nimbus.auth.audit.sink",
        "file",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.rotate-size",
        "2g");
    assertRefused(
        "nimbus.auth.audit.fsync",
        "expected 'none' or 'batch'",
        "nimbus.auth.audit.sink",
        "file",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.fsync",
        "always");
    assertRefused(
        "nimbus.auth.audit.checkpoint-records",
        "must be between 1 and 1000000",
        "nimbus.auth.audit.sink",
        "file",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.checkpoint-records",
        "0");
    assertRefused(
        "nimbus.auth.audit.node",
        "must be 1 to 64 letters",
        "nimbus.auth.audit.sink",
        "jdbc",
        "nimbus.auth.audit.key",
        KEY,
        "nimbus.auth.audit.node",
        "web 1");
  }

  @Test
  void neverShowsAShortKeyInItsError() {
    String shortKey = "too-short-a-secret";
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> load("nimbus.auth.audit.sink", "file", "nimbus.auth.audit.key", shortKey));
    assertEquals("nimbus.auth.audit.key", e.property());
    assertFalse(e.getMessage().contains(shortKey), e.getMessage());
  }

  @Test
  void readsSizesInBytesOrBinaryMultiples() {
    assertEquals(65536, AuditTrailSettings.parseSize("65536"));
    assertEquals(512L << 10, AuditTrailSettings.parseSize("512k"));
    assertEquals(64L << 20, AuditTrailSettings.parseSize("64 MiB"));
    assertEquals(1L << 30, AuditTrailSettings.parseSize("1G"));
  }

  private static void assertRefused(String property, String message, String... settings) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(settings));
    assertEquals(property, e.property());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static NimbusAuthConfig load(String... settings) {
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i < settings.length; i += 2) {
      properties.put(settings[i], settings[i + 1]);
    }
    properties.putIfAbsent(NimbusAuthConfig.ENVIRONMENT, "any");
    return NimbusAuthConfig.load(List.of(PropertySource.of(properties)));
  }

  @Test
  void theBuildersTrailFunctionMustChangeTheBuilderItIsGivenNotAnswerAnother() {
    NimbusAuthConfig.Builder builder = NimbusAuthConfig.builder();
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.auditTrail(t -> new AuditTrailSettings.Builder()));
    assertEquals("auditTrail(...) must return the builder it is given", refused.getMessage());
    assertEquals(builder, builder.auditTrail(t -> t.checkpointRecords(500)));
  }
}
