package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.cli.RevokingAdmin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON file store's push (the watch of its file) carries every change that must take effect at
 * once, not only revocation: another process (a JVM of its own) revokes a key, disables its
 * partner, brings its expiry forward or narrows its scopes, and a validator that polls only every
 * 10 s must apply each well within a second. The measured delays are printed; {@link
 * RevocationBoundTest} measures the revocations' distribution. {@link TwoNodeRevocationTest} does
 * the same for PostgreSQL's notifications.
 */
class OtherProcessChangeTest {

  private static final Duration BOUND = Duration.ofSeconds(1);
  private static final Duration NO_POLL = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void aRevocationByAnotherProcessReachesTheNodeByPush() throws Exception {
    assertApplied(
        "Revocation",
        Set.of("orders:read"),
        key -> key.record().keyId(),
        refused(InvalidReason.REVOKED));
  }

  @Test
  void disablingAPartnerInAnotherProcessReachesTheNodeByPush() throws Exception {
    assertApplied("Disabling", Set.of(), key -> "disable acme", refused(InvalidReason.DISABLED));
  }

  @Test
  void anExpiryBroughtForwardByAnotherProcessReachesTheNodeByPush() throws Exception {
    assertApplied(
        "Expiry",
        Set.of(),
        key -> "expire " + key.record().keyId(),
        refused(InvalidReason.EXPIRED));
  }

  @Test
  void aScopeNarrowedByAnotherProcessReachesTheNodeByPush() throws Exception {
    assertApplied(
        "Scope change",
        Set.of("orders:read", "orders:write"),
        key -> "scopes " + key.record().keyId() + " orders:read",
        result ->
            result instanceof ValidationResult.Valid valid
                && valid.principal().scopes().equals(Set.of("orders:read")));
  }

  @FunctionalInterface
  private interface Change {
    String line(CreatedKey key);
  }

  private void assertApplied(
      String what, Set<String> scopes, Change change, Predicate<ValidationResult> applied)
      throws Exception {
    Path file = dir.resolve("keys.json");
    CreatedKey key =
        new KeyManager(JsonFileKeyStore.open(file), KeyHasher.sha256())
            .create("acme", Environment.SANDBOX, scopes, null);
    Process admin = java(RevokingAdmin.class.getName(), "json-file:" + file);
    try (StoreKeyValidator node =
            StoreKeyValidator.over(JsonFileKeyStore.open(file))
                .environment(Environment.SANDBOX)
                .pollInterval(NO_POLL)
                .maxStaleness(NO_POLL.multipliedBy(2))
                .build();
        PrintWriter toAdmin =
            new PrintWriter(admin.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromAdmin =
            new BufferedReader(
                new InputStreamReader(admin.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < 3; i++) {
        ValidationResult before = node.validate(PresentedKey.of(key.key()));
        assertInstanceOf(ValidationResult.Valid.class, before);
        assertTrue(!applied.test(before), "not applied before the change");
      }
      toAdmin.println(change.line(key));
      String answer = fromAdmin.readLine();
      assertTrue(answer != null && answer.matches("\\d+"), "the other process failed: " + answer);
      long returned = Long.parseLong(answer);
      Duration delay = timeUntil(node, key.key(), applied, returned);
      System.out.printf(
          "%s by another process reached the node after %.1f ms (bound %d ms, no poll)%n",
          what, delay.toNanos() / 1e6, BOUND.toMillis());
      assertTrue(delay.compareTo(BOUND) < 0, what + " took " + delay);
    } finally {
      admin.getOutputStream().close();
      if (!admin.waitFor(10, TimeUnit.SECONDS)) {
        admin.destroyForcibly();
      }
    }
  }

  private static Predicate<ValidationResult> refused(InvalidReason reason) {
    return result -> {
      if (result instanceof ValidationResult.Invalid invalid) {
        assertEquals(reason, invalid.reason());
        return true;
      }
      return false;
    };
  }

  /**
   * Validates without pause until the change shows, for up to twice the bound; the time since
   * {@code sinceNanos}.
   */
  private static Duration timeUntil(
      StoreKeyValidator node, String key, Predicate<ValidationResult> applied, long sinceNanos)
      throws KeyValidationException {
    while (System.nanoTime() - sinceNanos < BOUND.multipliedBy(2).toNanos()) {
      if (applied.test(node.validate(PresentedKey.of(key)))) {
        break;
      }
      Thread.onSpinWait();
    }
    return Duration.ofNanos(System.nanoTime() - sinceNanos);
  }

  /** Starts {@code main} in another JVM on this test's class path. */
  private static Process java(String main, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
