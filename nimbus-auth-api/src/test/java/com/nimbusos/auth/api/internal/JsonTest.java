package com.nimbusos.auth.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void readsWhatItWrites() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("text", "quote \" backslash \\ newline \n tab \t é");
    document.put("number", 42L);
    document.put("list", List.of("a", "b"));
    document.put("nothing", null);
    document.put("yes", true);
    document.put("nested", Map.of("k", List.of()));
    assertEquals(document, Json.parse(Json.write(document)));
  }

  @Test
  void readsEscapesAndNumbers() {
    assertEquals("Aé/", Json.parse("\"\\u0041\\u00e9\\/\""));
    assertEquals(-12L, Json.parse("-12"));
    assertEquals(1.5e3, Json.parse("1.5e3"));
    assertEquals(Arrays.asList(true, false, null), Json.parse("[true, false, null]"));
  }

  @Test
  void namesTheOffsetOfAnError() {
    for (String bad :
        List.of(
            "{",
            "{\"a\" 1}",
            "[1,]",
            "\"open",
            "{\"a\":1,\"a\":2}",
            "tru",
            "[1] x",
            "\"\\x\"",
            "\"a\u0001\"")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
    }
  }

  @Test
  void refusesAbsurdNesting() {
    assertThrows(
        IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
  }
}
