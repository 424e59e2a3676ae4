package com.nimbusos.auth.api.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The JSON reader against JSONTestSuite's parsing corpus (Nicolas Seriot, MIT licence), read in
 * place from the workplace's shared corpora ({@code
 * ../../shared/corpora/JSONTestSuite/test_parsing} from this module, or the directory named by
 * {@code -Dnimbus.jsontestsuite}): every {@code y_} document accepted, every {@code n_} document
 * refused, every {@code i_} document either way, never with anything but a refusal, and never
 * slowly. Files are read as the key store reads them: bytes that are not UTF-8 are a refusal.
 */
class JsonTestSuiteTest {

  private static Path corpus() {
    String named = System.getProperty("nimbus.jsontestsuite");
    Path dir =
        named != null
            ? Path.of(named)
            : Path.of("..", "..", "shared", "corpora", "JSONTestSuite", "test_parsing");
    assertTrue(
        Files.isDirectory(dir),
        "JSONTestSuite's test_parsing not found at "
            + dir.toAbsolutePath()
            + "; name it with -Dnimbus.jsontestsuite");
    return dir;
  }

  @TestFactory
  Stream<DynamicTest> readsEveryDocumentOfTheCorpusAsTheGrammarSays() throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(corpus())) {
      files = listed.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 300, "the whole corpus: " + files.size());
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      String name = file.getFileName().toString();
                      byte[] bytes = Files.readAllBytes(file);
                      assertTimeoutPreemptively(
                          Duration.ofSeconds(5),
                          () -> {
                            if (name.startsWith("y_")) {
                              assertDoesNotThrow(() -> Json.parse(utf8(bytes), true));
                            } else if (name.startsWith("n_")) {
                              assertThrows(
                                  IllegalArgumentException.class,
                                  () -> Json.parse(utf8(bytes), true));
                            } else {
                              try {
                                Json.parse(utf8(bytes), true);
                              } catch (IllegalArgumentException refused) {
                                // either way, as long as it is a refusal and not a crash
                              }
                            }
                          });
                    }));
  }

  /**
   * A document whose record repeats a property is refused by the key store's reading, though valid
   * JSON.
   */
  @TestFactory
  Stream<DynamicTest> refusesRepeatedPropertiesWhereTheKeyStoreReads() {
    return Stream.of("y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json")
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      String text = utf8(Files.readAllBytes(corpus().resolve(name)));
                      assertDoesNotThrow(() -> Json.parse(text, true));
                      assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
                    }));
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8", e);
    }
  }
}
