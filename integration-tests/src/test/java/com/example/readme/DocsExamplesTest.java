package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.config.PropertySource;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every fenced block of the user documentation (README, CONTRIBUTING, SECURITY and {@code docs/}) is compiled
 * or checked against what it describes, so that no example rots unnoticed; and every relative link resolves.
 * How a block is checked depends on its language tag; a block without one fails, so a new block cannot slip
 * past unchecked. {@code docs/spec/} is the API's own Authentication page, shipped verbatim, and is left as is.
 */
class DocsExamplesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern FENCE = Pattern.compile("(?m)^```([^\\n`]*)\\n(.*?)^```\\s*$", Pattern.DOTALL);
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Set<String> LANGUAGES = Set.of("java", "xml", "properties", "json", "bash", "jboss-cli", "text", "files");

  /** One fenced block: where it is, its language tag, its text. */
  record Block(Path file, int line, String language, String text) {
    @Override
    public String toString() {
      return ROOT.relativize(file) + ":" + line + " (" + language + ")";
    }
  }

  static List<Path> documents() {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"), ROOT.resolve("SECURITY.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).filter(p -> !p.startsWith(ROOT.resolve("docs/spec"))).sorted().forEach(documents::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  static List<Block> blocks() {
    List<Block> blocks = new ArrayList<>();
    for (Path document : documents()) {
      String text = read(document);
      Matcher fence = FENCE.matcher(text);
      while (fence.find()) {
        int line = (int) text.substring(0, fence.start()).chars().filter(c -> c == '\n').count() + 1;
        blocks.add(new Block(document, line, fence.group(1).strip(), fence.group(2)));
      }
    }
    return blocks;
  }

  @Test
  void everyBlockSaysWhatItIs() {
    List<String> untagged = blocks().stream().filter(b -> !LANGUAGES.contains(b.language())).map(Block::toString).toList();
    assertEquals(List.of(), untagged, "blocks need one of the checked languages " + LANGUAGES);
  }

  /**
   * A Java block is a piece of a compiled file: its text, whitespace aside, with {@code …} standing for
   * elided code, is found in order in one source file (the examples in this package, or the main sources).
   * A block that starts with imports is a whole file, shown exactly as compiled.
   */
  @Test
  void javaBlocksAreFoundInCompiledSources() {
    Map<Path, String> sources = javaSources();
    int checked = 0;
    for (Block block : blocks()) {
      if (!block.language().equals("java")) {
        continue;
      }
      checked++;
      if (block.text().startsWith("import ")) {
        boolean whole = sources.entrySet().stream()
            .filter(e -> e.getKey().startsWith(ROOT.resolve("integration-tests/src/test/java/com/example/readme")))
            .anyMatch(e -> e.getValue().endsWith(block.text()) && e.getValue().indexOf("\nimport ") == e.getValue().indexOf(block.text()) - 1);
        assertTrue(whole, block + " should be a compiled example of com.example.readme from its imports on, exactly");
        continue;
      }
      List<String> fragments = java.util.Arrays.stream(block.text().split("…")).map(DocsExamplesTest::squash)
          .filter(f -> !f.isEmpty()).toList();
      boolean found = sources.values().stream().map(DocsExamplesTest::squash).anyMatch(source -> inOrder(source, fragments));
      assertTrue(found, block + " is in no compiled source: " + fragments);
    }
    assertTrue(checked >= 10, "only " + checked + " Java blocks: is the fence pattern still right?");
  }

  /**
   * XML blocks parse; the classes they name exist; the settings they name exist and, where a block gives an
   * environment, load as the configuration they show; the Nimbus artifacts they name are this build's.
   */
  @Test
  void xmlBlocksParseAndNameWhatExists() throws Exception {
    String version = projectVersion();
    int configurations = 0;
    for (Block block : blocks("xml")) {
      Document xml;
      try {
        xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new org.xml.sax.InputSource(new StringReader("<root>" + block.text() + "</root>")));
      } catch (org.xml.sax.SAXException e) {
        throw new AssertionError(block + " is not well-formed XML: " + e.getMessage(), e);
      }
      for (String tag : List.of("filter-class", "servlet-class", "listener-class", "exception-type")) {
        for (Element element : elements(xml, tag)) {
          String name = element.getTextContent().strip();
          try {
            Class.forName(name, false, getClass().getClassLoader());
          } catch (ClassNotFoundException e) {
            fail(block + " names class " + name + ", which does not exist");
          }
        }
      }
      for (Element artifact : elements(xml, "artifactId")) {
        String id = artifact.getTextContent().strip();
        if (id.startsWith("nimbus-auth")) {
          assertTrue(Files.isRegularFile(ROOT.resolve(id).resolve("pom.xml")), block + " names no module of this build: " + id);
          Element parent = (Element) artifact.getParentNode();
          for (Element v : elements(parent, "version")) {
            assertEquals(version, v.getTextContent().strip(), block + ": the version of " + id);
          }
        }
      }
      for (String holder : List.of("filter", "web-app", "root")) {
        for (Element element : elements(xml, holder)) {
          Map<String, String> settings = new LinkedHashMap<>();
          for (String param : List.of("init-param", "context-param")) {
            for (Element p : elements(element, param)) {
              settings.put(text(p, "param-name"), text(p, "param-value"));
            }
          }
          if (checkSettings(block, settings)) {
            configurations++;
          }
        }
      }
    }
    assertTrue(configurations >= 3, "only " + configurations + " XML configurations were loaded");
  }

  @Test
  void propertiesBlocksNameRealSettingsAndLoad() throws IOException {
    int loaded = 0;
    for (Block block : blocks("properties")) {
      Properties properties = new Properties();
      properties.load(new StringReader(block.text()));
      Map<String, String> settings = new LinkedHashMap<>();
      properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
      if (checkSettings(block, settings)) {
        loaded++;
      }
    }
    assertTrue(loaded >= 2, "only " + loaded + " properties blocks were loaded as configurations");
  }

  @Test
  void jsonBlocksParse() {
    try (Jsonb jsonb = JsonbBuilder.create()) {
      for (Block block : blocks("json")) {
        try {
          jsonb.fromJson(block.text(), Object.class); // one document
          continue;
        } catch (RuntimeException e) {
          // else one document a line, as in a log
        }
        for (String line : block.text().split("\n")) {
          if (!line.isBlank()) {
            try {
              jsonb.fromJson(line, Object.class);
            } catch (RuntimeException e) {
              throw new AssertionError(block + ": not JSON: " + line, e);
            }
          }
        }
      }
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * Shell blocks run what exists: {@code ./mvnw} profiles and modules, the admin CLI's options, and the
   * WildFly CLI operations the build itself runs.
   */
  @Test
  void shellBlocksUseProfilesModulesAndOptionsThatExist() {
    String poms = read(ROOT.resolve("pom.xml")) + read(ROOT.resolve("integration-tests/pom.xml"));
    String keyAdmin = read(ROOT.resolve("nimbus-auth-api/src/main/java/com/nimbusos/auth/api/cli/KeyAdmin.java"));
    for (Block block : blocks("bash")) {
      for (String line : block.text().replace("\\\n", " ").split("\n")) {
        String command = line.replaceAll("\\s+#.*$", "");
        if (command.contains("./mvnw")) {
          for (Matcher m = Pattern.compile("\\s-P(\\S+)").matcher(command); m.find(); ) {
            for (String profile : m.group(1).split(",")) {
              assertTrue(poms.contains("<id>" + profile + "</id>"), block + ": no Maven profile " + profile);
            }
          }
          for (Matcher m = Pattern.compile("\\s-pl\\s+(\\S+)").matcher(command); m.find(); ) {
            for (String module : m.group(1).split(",")) {
              assertTrue(Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml")), block + ": no module " + module);
            }
          }
        }
        if (command.contains("KeyAdmin") || command.contains("$CLI") || command.contains("nimbus-auth-api.jar")
            || command.contains("nimbus-auth-api/target/nimbus-auth-api-")) {
          for (Matcher m = Pattern.compile("\\s(--[a-z-]+)").matcher(command); m.find(); ) {
            // The CLI's usage text, which its own tests check, lists every option it takes.
            assertTrue(Pattern.compile(Pattern.quote(m.group(1)) + "(?![a-z-])").matcher(keyAdmin).find(),
                block + ": the admin CLI has no option " + m.group(1));
          }
        }
        Matcher cli = Pattern.compile("--command='([^']*)'").matcher(command);
        while (cli.find()) {
          checkJbossCli(block, cli.group(1));
        }
      }
    }
    for (Block block : blocks("jboss-cli")) {
      for (String line : block.text().split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          checkJbossCli(block, line.strip());
        }
      }
    }
  }

  /** Log samples quote what the code logs: each line's message, up to its first variable part. */
  @Test
  void logSamplesQuoteTheCode() {
    String main = mainSources().values().stream().collect(Collectors.joining("\n"));
    for (Block block : blocks("text")) {
      for (String line : block.text().split("\n")) {
        int start = line.indexOf("Nimbus Auth ");
        assertTrue(start >= 0, block + ": a log sample line without a Nimbus Auth message: " + line);
        String fixed = line.substring(start).split("['…(]", 2)[0];
        // Either one literal, or StartupLine's "Nimbus Auth " + who, with who a literal of its own.
        String who = fixed.substring("Nimbus Auth ".length());
        boolean logged = main.contains("\"" + fixed) || main.contains("\"Nimbus Auth \" + who") && main.contains("\"" + who);
        assertTrue(fixed.length() >= 15 && logged, block + ": no source logs \"" + fixed + "\"");
      }
    }
  }

  @Test
  void fileListsNameFilesThatExist() {
    for (Block block : blocks("files")) {
      for (String line : block.text().split("\n")) {
        String path = line.strip().split("\\s+", 2)[0];
        assertTrue(Files.exists(ROOT.resolve(path)), block + ": no file " + path);
      }
    }
  }

  /**
   * Every scope-rule example, taken literally, names every allowed method on each of its paths: a user who
   * copies one leaves no method open by accident (and none refused by surprise).
   */
  @Test
  void scopeRuleExamplesLeaveNoMethodUncovered() {
    Pattern rules = Pattern.compile(
        "nimbus\\.auth\\.scope-rules(?:</param-name>\\s*<param-value>|=|\", value = \")([^<\"\\n]+)");
    int examples = 0;
    for (Block block : blocks()) {
      Matcher rule = rules.matcher(block.text());
      while (rule.find()) {
        String example = rule.group(1).strip();
        examples++;
        NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().scopeRules(example).build();
        assertEquals(Map.of(), config.uncoveredMethods(), block + " leaves methods uncovered: " + example);
      }
    }
    assertTrue(examples >= 4, "only " + examples + " scope-rule examples found");
  }

  /** Relative links name files that exist, and anchors into Markdown files name one of their headings. */
  @Test
  void relativeLinksResolve() {
    List<Path> documents = new ArrayList<>(documents());
    documents.add(ROOT.resolve("integration-tests/README-containers.md"));
    List<String> broken = new ArrayList<>();
    for (Path document : documents) {
      String prose = FENCE.matcher(read(document)).replaceAll("");
      Matcher link = LINK.matcher(prose);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue;
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(ROOT.relativize(document) + ": " + target + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
          broken.add(ROOT.relativize(document) + ": " + target + " (no such heading; has " + anchors(resolved) + ")");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  /** The README stays a front page. */
  @Test
  void readmeIsAFrontPage() {
    long lines = read(ROOT.resolve("README.md")).lines().count();
    assertTrue(lines <= 250, "README.md has " + lines + " lines; move details to docs/");
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * Checks the {@code nimbus.auth.*} settings a block shows: every name exists, and when the block chooses an
   * environment the whole configuration loads. Returns whether it was loaded.
   */
  private static boolean checkSettings(Block block, Map<String, String> all) {
    Map<String, String> settings = new LinkedHashMap<>();
    all.forEach((name, value) -> {
      if (name.startsWith(NimbusAuthConfig.PREFIX)) {
        settings.put(name, value);
      }
    });
    if (!settings.containsKey("nimbus.auth.environment")) {
      // Unknown names fail the load below; without an environment, check the names through it anyway.
      settings.keySet().forEach(name -> assertTrue(knownSettings().contains(name), block + ": no setting " + name));
      return false;
    }
    try {
      NimbusAuthConfig.load(List.of(PropertySource.of(settings)));
    } catch (RuntimeException e) {
      throw new AssertionError(block + " does not load: " + e.getMessage(), e);
    }
    return true;
  }

  private static Set<String> knownSettings() {
    Set<String> known = new TreeSet<>();
    for (java.lang.reflect.Field field : NimbusAuthConfig.class.getFields()) {
      if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
        try {
          String value = (String) field.get(null);
          if (value.startsWith(NimbusAuthConfig.PREFIX) && !value.equals(NimbusAuthConfig.PREFIX)) {
            known.add(value);
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return known;
  }

  /** A WildFly CLI operation is one the build's own configure.cli runs (its address and operation), or reload. */
  private static void checkJbossCli(Block block, String command) {
    if (command.equals("reload")) {
      return;
    }
    String operation = command.split("\\(", 2)[0];
    assertTrue(read(ROOT.resolve("integration-tests/src/test/wildfly/configure.cli")).contains(operation),
        block + ": the build never runs the WildFly CLI operation " + operation);
  }

  private static List<Block> blocks(String language) {
    return blocks().stream().filter(b -> b.language().equals(language)).toList();
  }

  private static Map<Path, String> javaSources() {
    Map<Path, String> sources = new LinkedHashMap<>(mainSources());
    sources.putAll(sourcesUnder(ROOT.resolve("integration-tests/src/test/java/com/example/readme")));
    return sources;
  }

  private static Map<Path, String> mainSources() {
    Map<Path, String> sources = new LinkedHashMap<>();
    for (String module : List.of("nimbus-auth-api", "nimbus-auth-filter", "nimbus-auth-jaxrs", "integration-tests")) {
      sources.putAll(sourcesUnder(ROOT.resolve(module).resolve("src/main/java")));
    }
    return sources;
  }

  private static Map<Path, String> sourcesUnder(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      Map<Path, String> sources = new LinkedHashMap<>();
      files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> sources.put(p, read(p)));
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String squash(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static boolean inOrder(String text, List<String> fragments) {
    int from = 0;
    for (String fragment : fragments) {
      int at = text.indexOf(fragment, from);
      if (at < 0) {
        return false;
      }
      from = at + fragment.length();
    }
    return true;
  }

  /** GitHub's anchors of a Markdown file's headings. */
  static Set<String> anchors(Path markdown) {
    Set<String> anchors = new TreeSet<>();
    for (String line : FENCE.matcher(read(markdown)).replaceAll("").split("\n")) {
      if (line.startsWith("#")) {
        String heading = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
        anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static String projectVersion() {
    Matcher version = Pattern.compile("</parent>|<artifactId>nimbus-auth-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(read(ROOT.resolve("pom.xml")));
    while (version.find()) {
      if (version.group(1) != null) {
        return version.group(1);
      }
    }
    throw new IllegalStateException("no version in pom.xml");
  }

  private static List<Element> elements(Node parent, String tag) {
    NodeList nodes = parent instanceof Document d ? d.getElementsByTagName(tag) : ((Element) parent).getElementsByTagName(tag);
    List<Element> elements = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      elements.add((Element) nodes.item(i));
    }
    return elements;
  }

  private static String text(Element parent, String tag) {
    List<Element> found = elements(parent, tag);
    return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
