package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM the README's Quick start imports is this build's: its version is the reactor's, it manages exactly
 * the library jars, at that version, and it is part of the reactor. (That it resolves is proven by this very
 * module, which takes the library jars' versions from importing it and from nowhere else.)
 */
class BomTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomManagesExactlyTheLibraryJarsAtTheReactorsVersion() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("nimbus-auth-bom/pom.xml"));
    String version = first(parent, "<artifactId>nimbus-auth-parent</artifactId>\\s*<version>([^<]+)</version>");
    assertEquals(version, first(bom, "<artifactId>nimbus-auth-bom</artifactId>\\s*<version>([^<]+)</version>"));
    assertTrue(parent.contains("<module>nimbus-auth-bom</module>"), "the BOM is not in the reactor");
    assertTrue(!bom.contains("<parent>"), "a parent's dependencyManagement would reach every application importing the BOM");

    List<String> managed = new ArrayList<>();
    Matcher entry = Pattern.compile("<dependency>\\s*<groupId>com\\.nimbusos\\.auth</groupId>\\s*<artifactId>([^<]+)</artifactId>"
        + "\\s*<version>\\$\\{project\\.version}</version>\\s*</dependency>").matcher(bom);
    while (entry.find()) {
      managed.add(entry.group(1));
    }
    List<String> libraries = new ArrayList<>();
    for (Matcher module = Pattern.compile("<module>(nimbus-auth-[a-z]+)</module>").matcher(parent); module.find(); ) {
      if (!module.group(1).equals("nimbus-auth-bom")) {
        libraries.add(module.group(1));
      }
    }
    assertEquals(List.of("nimbus-auth-api", "nimbus-auth-filter", "nimbus-auth-jaxrs"), libraries);
    assertEquals(libraries, managed);
  }

  @Test
  void integrationTestsTakeTheLibraryVersionsFromTheBomAlone() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String tests = Files.readString(ROOT.resolve("integration-tests/pom.xml"));
    assertTrue(tests.contains("<artifactId>nimbus-auth-bom</artifactId>\n        <version>${project.version}</version>\n"
        + "        <type>pom</type>\n        <scope>import</scope>"), "integration-tests does not import the BOM");
    // The parent manages only the contract test-jar, so a library version can come from the BOM alone.
    Matcher managed = Pattern.compile("<artifactId>(nimbus-auth-[a-z]+)</artifactId>\\s*<version>[^<]+</version>\\s*(<type>[^<]+</type>)?")
        .matcher(parent.substring(parent.indexOf("<dependencyManagement>"), parent.indexOf("</dependencyManagement>")));
    while (managed.find()) {
      assertEquals("<type>test-jar</type>", managed.group(2), "the parent manages " + managed.group(1));
    }
  }

  private static String first(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertTrue(matcher.find(), regex);
    return matcher.group(1);
  }
}
