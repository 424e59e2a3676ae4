package com.nimbusos.auth.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The servlet adapters build their engine one way: the filter and the Jakarta Security mechanism
 * through {@link StartedEngine}, the start-up check directly, all through {@code EngineFactory};
 * none constructs an engine or resolves its parts itself.
 */
class EngineAssemblyPathTest {

  @Test
  void everyServletAdapterBuildsItsEngineThroughTheFactory() throws IOException {
    assertEquals(
        Set.of("StartedEngine.java", "StartupCheck.java"),
        filesContaining("EngineFactory.forApplication("));
    assertEquals(
        Set.of("ApiKeyAuthenticationMechanism.java", "ApiKeyFilter.java"),
        filesContaining("StartedEngine.start("));
    for (String bypass :
        new String[] {
          "new AuthenticationEngine(",
          "ValidatorResolver.resolve(",
          "AuditSinks.open(",
          "AuthMetricsResolver.resolve("
        }) {
      assertEquals(Set.of(), filesContaining(bypass), bypass);
    }
  }

  private static Set<String> filesContaining(String text) throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.readString(source).contains(text)) {
          files.add(source.getFileName().toString());
        }
      }
    }
    return files;
  }
}
