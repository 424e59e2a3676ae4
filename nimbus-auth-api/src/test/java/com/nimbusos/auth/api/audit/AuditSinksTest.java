package com.nimbusos.auth.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.audit.trail.FileAuditSink;
import com.nimbusos.auth.api.audit.trail.TrailVerifier;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class AuditSinksTest {

  private static final String KEY = "an-audit-key-of-at-least-32-bytes-0123456789";
  private final ClassLoader loader = getClass().getClassLoader();

  @TempDir Path dir;

  @Test
  void theDefaultIsAnUnsignedFileTrailNamedAfterTheApplicationInTheServersLogDirectory()
      throws Throwable {
    withProperty(
        "jboss.server.log.dir",
        dir.toString(),
        () -> {
          AuditSinks.Resolved resolved =
              AuditSinks.open(
                  null,
                  NimbusAuthConfig.builder().anyEnvironment().build(),
                  loader,
                  "/partner-api");
          assertInstanceOf(FileAuditSink.class, resolved.sink());
          assertTrue(resolved.owned());
          assertTrue(
              resolved
                  .source()
                  .contains(dir.resolve("nimbus-audit/partner-api.*.jsonl").toString()),
              resolved.source());
          assertTrue(resolved.source().contains("UNSIGNED"), resolved.source());
          resolved.sink().record(anEvent());
          resolved.closeIfOwned();
          List<Path> files = List.of(dir.resolve("nimbus-audit/partner-api.000001.jsonl"));
          assertTrue(TrailVerifier.unsigned().verifyFiles(files).intact());
          // Signed verification must not accept a trail signed under the public key.
          TrailVerifier.Verification keyed =
              TrailVerifier.withKey(KEY.getBytes(StandardCharsets.UTF_8)).verifyFiles(files);
          assertFalse(keyed.intact(), keyed.toString());
        });
  }

  @Test
  void theLogIsUsedWhenNamed() {
    AuditSinks.Resolved resolved =
        AuditSinks.open(
            null, NimbusAuthConfig.builder().anyEnvironment().auditSink("logging").build(), loader);
    assertInstanceOf(LoggingAuditSink.class, resolved.sink());
    assertEquals("the log (com.nimbusos.auth.audit)", resolved.source());
    assertTrue(resolved.owned());
  }

  @Test
  void aSignedTrailFailsTheUnsignedCheck() throws Throwable {
    Path base = dir.resolve("audit");
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .auditTrail(t -> t.file(base).key(KEY.getBytes(StandardCharsets.UTF_8)))
            .build();
    AuditSinks.Resolved resolved = AuditSinks.open(null, config, loader);
    resolved.sink().record(anEvent());
    resolved.closeIfOwned();
    TrailVerifier.Verification unsigned =
        TrailVerifier.unsigned().verifyFiles(List.of(dir.resolve("audit.000001.jsonl")));
    assertFalse(unsigned.intact());
    assertTrue(unsigned.problem().contains("the trail is signed"), unsigned.problem());
  }

  @Test
  void namesTheDefaultTrailAfterTheContextPathAndKeepsApplicationsApart() {
    assertEquals("ROOT", AuditSinks.trailName(""));
    assertEquals("partner-api", AuditSinks.trailName("/partner-api"));
    assertTrue(AuditSinks.trailName(null).equals("audit"));
    // Where the name had to change, a hash of the path keeps two applications apart.
    String slashed = AuditSinks.trailName("/a/b");
    String underscored = AuditSinks.trailName("/a_b");
    assertTrue(slashed.matches("a_b-[0-9a-f]{8}"), slashed);
    assertEquals("a_b", underscored);
    assertTrue(AuditSinks.trailName("/a b").matches("a_b-[0-9a-f]{8}"));
    assertFalse(AuditSinks.trailName("/a b").equals(slashed));
    assertTrue(
        AuditSinks.trailName("/ROOT").matches("ROOT-[0-9a-f]{8}"), "/ROOT is not the root context");
    assertTrue(
        AuditSinks.trailName("/audit").matches("audit-[0-9a-f]{8}"), "nor /audit an unknown one");
    assertTrue(
        AuditSinks.trailName("/.._x").matches("_\\._x-[0-9a-f]{8}"), AuditSinks.trailName("/.._x"));
  }

  @Test
  void refusesADefaultDirectoryInTheTemporaryDirectoryThatIsALink() throws Throwable {
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path temporary = Files.createDirectory(dir.resolve("tmp"));
    Files.createSymbolicLink(temporary.resolve("nimbus-audit"), elsewhere);
    withProperty(
        "java.io.tmpdir",
        temporary.toString(),
        () -> {
          ConfigurationException e =
              assertThrows(
                  ConfigurationException.class,
                  () ->
                      AuditSinks.open(
                          null,
                          NimbusAuthConfig.builder().anyEnvironment().build(),
                          loader,
                          "/orders"));
          assertEquals(NimbusAuthConfig.AUDIT_FILE, e.property());
          assertTrue(
              e.getMessage().contains("is not a directory (a link or a file is there)"),
              e.getMessage());
        });
  }

  @Test
  void createsTheDefaultDirectoryInTheTemporaryDirectoryOwnerOnly() throws Throwable {
    Path temporary = Files.createDirectory(dir.resolve("tmp"));
    withProperty(
        "java.io.tmpdir",
        temporary.toString(),
        () -> {
          AuditSinks.Resolved resolved =
              AuditSinks.open(
                  null, NimbusAuthConfig.builder().anyEnvironment().build(), loader, "/orders");
          resolved.sink().record(anEvent());
          resolved.closeIfOwned();
          assertEquals(
              "rwx------",
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(temporary.resolve("nimbus-audit"))));
          assertTrue(Files.exists(temporary.resolve("nimbus-audit/orders.000001.jsonl")));
        });
  }

  @Test
  void aSinkGivenInCodeIsItsOwnersToClose() {
    AuditSink given = event -> {};
    AuditSinks.Resolved resolved =
        AuditSinks.open(given, NimbusAuthConfig.builder().anyEnvironment().build(), loader);
    assertEquals(given, resolved.sink());
    assertFalse(resolved.owned());
  }

  @Test
  void theFileSinkWritesAVerifiableTrailWhereTheConfigurationSays() throws Throwable {
    Path base = dir.resolve("audit");
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .auditSink("file")
            .auditTrail(t -> t.file(base).key(KEY.getBytes(StandardCharsets.UTF_8)))
            .build();
    AuditSinks.Resolved resolved = AuditSinks.open(null, config, loader);
    assertInstanceOf(FileAuditSink.class, resolved.sink());
    assertTrue(resolved.owned());
    assertTrue(
        resolved
            .source()
            .startsWith(
                "files " + dir.resolve("audit.*.jsonl") + " (new file at 64 MiB and daily,"),
        resolved.source());
    resolved.sink().record(anEvent());
    resolved.closeIfOwned();
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files = entries.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
    assertEquals(List.of(dir.resolve("audit.000001.jsonl")), files);
    TrailVerifier.Verification verification =
        TrailVerifier.withKey(KEY.getBytes(StandardCharsets.UTF_8)).verifyFiles(files);
    assertTrue(verification.intact(), verification.toString());
  }

  @Test
  void theFileTrailGoesToTheServersLogDirectoryUnlessTold() throws Throwable {
    withProperty(
        "jboss.server.log.dir",
        "/opt/wildfly/standalone/log",
        () -> {
          assertEquals(
              Path.of("/opt/wildfly/standalone/log/nimbus-audit/orders"),
              AuditSinks.defaultTrailBase("/orders"));
        });
  }

  @Test
  void aTrailAnotherWriterHoldsFailsTheDeploymentNamingTheSetting() throws Throwable {
    Path base = dir.resolve("audit");
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .auditSink("file")
            .auditTrail(t -> t.file(base).key(KEY.getBytes(StandardCharsets.UTF_8)))
            .build();
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve("audit.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> AuditSinks.open(null, config, loader));
      assertEquals(NimbusAuthConfig.AUDIT_FILE, e.property());
    }
  }

  private static AuditEvent anEvent() {
    return new AuditEvent(
        Instant.EPOCH,
        "req_1",
        null,
        null,
        null,
        null,
        "allowed",
        "PUBLIC",
        "GET",
        "/",
        0,
        null,
        false,
        null);
  }

  /**
   * Runs {@code body} with the system property {@code name} set to {@code value}, then restores it.
   */
  private static void withProperty(String name, String value, Executable body) throws Throwable {
    String before = System.getProperty(name);
    System.setProperty(name, value);
    try {
      body.execute();
    } finally {
      if (before == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, before);
      }
    }
  }
}
