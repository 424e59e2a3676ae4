package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The request firewall against its corpus ({@code firewall-targets.tsv}) and its few settings. */
class RequestFirewallTest {

  private final RequestFirewall strict = new RequestFirewall(Set.of("GET", "HEAD", "POST"), false);

  private record Target(String raw, String expected) {}

  @TestFactory
  Stream<DynamicTest> refusesEveryAmbiguousTargetOfTheCorpusAndOnlyThose() throws IOException {
    List<Target> targets = corpus();
    assertTrue(targets.size() >= 100, "the corpus is complete: " + targets.size());
    return targets.stream()
        .map(
            t ->
                DynamicTest.dynamicTest(
                    "[" + t.raw() + "]",
                    () -> {
                      DenialReason reason = strict.check(t.raw());
                      assertEquals(t.expected(), reason == null ? "OK" : reason.name(), t.raw());
                      if (reason == null) {
                        String decoded = strict.decode(t.raw());
                        assertFalse(
                            decoded.contains("/../")
                                || decoded.endsWith("/..")
                                || decoded.contains("//"),
                            decoded);
                      }
                    }));
  }

  @Test
  void decodesAcceptedTargetsAsUtf8() {
    assertEquals("/orders/café €", strict.decode("/orders/caf%C3%A9%20%e2%82%ac"));
    assertEquals("/orders/A", strict.decode("/orders/%41"));
    assertThrows(IllegalArgumentException.class, () -> strict.decode("/orders/%zz"));
    assertThrows(IllegalArgumentException.class, () -> strict.decode("/orders/%c0%ae"));
  }

  @Test
  void toleratesATrailingJsessionidOnlyWhenAllowedAndNothingElse() {
    RequestFirewall lenient = new RequestFirewall(Set.of("GET"), true);
    assertEquals(DenialReason.PATH_PARAMETER, strict.check("/orders/x;jsessionid=ABC123"));
    assertNull(lenient.check("/orders/x;jsessionid=ABC123.node-1"));
    assertNull(lenient.check("/orders/x;JSESSIONID=abc"));
    assertEquals("/orders/x", lenient.decode("/orders/x;jsessionid=ABC123"));
    assertEquals(
        DenialReason.PATH_PARAMETER,
        lenient.check("/orders;jsessionid=abc/x"),
        "only as the last thing");
    assertEquals(DenialReason.PATH_PARAMETER, lenient.check("/orders/x;jsessionid=a;b=c"));
    assertEquals(DenialReason.PATH_PARAMETER, lenient.check("/orders/x;x=1"));
    assertEquals(
        DenialReason.DOT_SEGMENT,
        lenient.check("/orders/..;jsessionid=abc"),
        "what remains is checked");
    assertEquals(DenialReason.PATH_PARAMETER, lenient.check("/orders/x;jsessionid=%2e"));
  }

  @Test
  void allowsOnlyTheConfiguredMethodsSpelledExactly() {
    assertTrue(strict.allowsMethod("GET"));
    assertFalse(strict.allowsMethod("get"), "methods are case-sensitive");
    assertFalse(strict.allowsMethod("Get"));
    assertFalse(strict.allowsMethod("TRACE"));
    assertFalse(strict.allowsMethod("DELETE"));
    assertFalse(strict.allowsMethod(""));
  }

  private static List<Target> corpus() throws IOException {
    List<Target> targets = new ArrayList<>();
    try (InputStream in = RequestFirewallTest.class.getResourceAsStream("firewall-targets.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.lastIndexOf('\t');
        targets.add(new Target(unescape(line.substring(0, tab)), line.substring(tab + 1).strip()));
      }
    }
    return targets;
  }

  /**
   * {@code \xNN} is one raw byte, kept as the one character a container's ISO-8859-1 reading gives.
   */
  private static String unescape(String text) {
    StringBuilder raw = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("\\x", i) && i + 4 <= text.length()) {
        raw.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        raw.append(text.charAt(i));
      }
    }
    return raw.toString();
  }
}
