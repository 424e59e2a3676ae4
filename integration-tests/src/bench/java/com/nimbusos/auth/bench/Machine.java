package com.nimbusos.auth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the report says about the machine and about what else ran on it. */
final class Machine {

  private Machine() {}

  static String cpuModel() {
    return firstMatching(Path.of("/proc/cpuinfo"), "model name")
        .orElse(System.getProperty("os.arch"));
  }

  static String memTotal() {
    return firstMatching(Path.of("/proc/meminfo"), "MemTotal").orElse("?");
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * Other heavy Java processes (application servers, Maven test runs) that would disturb the
   * timings; the benchmark's own processes are not counted.
   */
  static List<Object> heavyJavaProcesses() {
    List<Object> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .forEach(
            process -> {
              String command = process.info().commandLine().orElse("");
              boolean java =
                  process
                      .info()
                      .command()
                      .orElse("")
                      .endsWith("java"); // not a shell waiting for the build lock
              if (process.pid() != self
                  && java
                  && command.matches("(?s).*(jboss-modules|glassfish|payara|surefire|failsafe).*")
                  && !command.contains("com.nimbusos.auth.bench.")
                  && !command.contains(
                      "org.openjdk.jmh.runner.ForkedMain")) { // ours (their class path names those
                // jars)
                String name =
                    command.contains("jboss-modules")
                        ? "WildFly"
                        : command.contains("glassfish") || command.contains("payara")
                            ? "Payara"
                            : command.contains("surefire") ? "Maven Surefire" : "Maven Failsafe";
                found.add(name + " (pid " + process.pid() + ")");
              }
            });
    return found;
  }

  /**
   * The commit of the work tree that holds {@code directory}, and whether the library modules
   * differ from it.
   */
  static String git(Path directory) {
    String dir = directory.toString();
    try {
      Process head =
          new ProcessBuilder("git", "-C", dir, "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String commit =
          new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      Process status =
          new ProcessBuilder(
                  "git",
                  "-C",
                  dir,
                  "status",
                  "--porcelain",
                  "--",
                  "nimbus-auth-api/src/main",
                  "nimbus-auth-filter/src/main",
                  "nimbus-auth-jaxrs/src/main")
              .redirectErrorStream(true)
              .start();
      String changes =
          new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      head.waitFor();
      status.waitFor();
      return head.exitValue() != 0
          ? "?"
          : commit + (changes.isEmpty() ? "" : " + uncommitted changes in the library modules");
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  private static java.util.Optional<String> firstMatching(Path file, String prefix) {
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> l.startsWith(prefix))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
