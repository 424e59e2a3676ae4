package com.nimbusos.auth.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JAX-RS feature builds its engine one way, {@link LazyEngine} through {@code EngineFactory},
 * its stand-in engines included; nothing constructs an engine or resolves its parts itself.
 */
class EngineAssemblyPathTest {

  @Test
  void theFeatureBuildsItsEngineThroughTheFactory() throws IOException {
    assertEquals(Set.of("LazyEngine.java"), filesContaining("EngineFactory.forApplication("));
    assertEquals(Set.of("NimbusAuthFeature.java"), filesContaining("new LazyEngine("));
    for (String bypass :
        new String[] {
          "new AuthenticationEngine(", "ValidatorResolver.resolve(", "AuthMetricsResolver.resolve("
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
