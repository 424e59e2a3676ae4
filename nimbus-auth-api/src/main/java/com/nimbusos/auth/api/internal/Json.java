package com.nimbusos.auth.api.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the JSON key store needs, so that the api module depends on the JDK only:
 * objects, arrays, strings, numbers, booleans and null, read strictly by RFC 8259's grammar
 * (checked against the JSONTestSuite parsing corpus; errors name the offset) and written
 * pretty-printed with keys in the order given. Beyond the grammar, a document read by {@link
 * #parse} may not repeat a property name in one object: a key store whose record said {@code
 * "revoked"} twice would mean whatever the last reader chose.
 */
public final class Json {

  private final String text;
  private final boolean allowDuplicates;
  private int at;

  private Json(String text, boolean allowDuplicates) {
    this.text = text;
    this.allowDuplicates = allowDuplicates;
  }

  /**
   * Parses a document: {@link Map} for objects (in order), {@link List}, {@link String}, {@link
   * Double} or {@link Long}, {@link Boolean}, or {@code null}.
   *
   * @throws IllegalArgumentException saying what is wrong where
   */
  public static Object parse(String text) {
    return parse(text, false);
  }

  /**
   * Parses by the grammar alone, repeated property names allowed (the last wins), as RFC 8259
   * permits.
   */
  static Object parse(String text, boolean allowDuplicates) {
    Json parser = new Json(text, allowDuplicates);
    parser.skipSpace();
    Object value = parser.value(0);
    parser.skipSpace();
    if (parser.at != text.length()) {
      throw parser.error("unexpected text after the document");
    }
    return value;
  }

  /** Writes a value made of maps, lists, strings, numbers, booleans and nulls. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, "");
    return out.append('\n').toString();
  }

  private Object value(int depth) {
    if (depth > 64) {
      throw error("nested too deeply");
    }
    if (at >= text.length()) {
      throw error("unexpected end of document");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    at++;
    skipSpace();
    if (peek() == '}') {
      at++;
      return object;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a property name");
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (!allowDuplicates && object.containsKey(name)) {
        throw error("duplicate property '" + name + "'");
      }
      object.put(name, value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect('}');
      return object;
    }
  }

  private List<Object> array(int depth) {
    List<Object> array = new ArrayList<>();
    at++;
    skipSpace();
    if (peek() == ']') {
      at++;
      return array;
    }
    while (true) {
      skipSpace();
      array.add(value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect(']');
      return array;
    }
  }

  private String string() {
    StringBuilder out = new StringBuilder();
    at++;
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
            if (digit < 0 || text.charAt(at) > 'f') {
              throw error("a unicode escape needs four hex digits");
            }
            code = code << 4 | digit;
            at++;
          }
          out.append((char) code);
        }
        default -> throw error("bad escape '\\" + e + "'");
      }
    }
  }

  /**
   * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}: no leading zero, no bare dot, no bare
   * exponent.
   */
  private Object number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("a number needs a digit here");
    }
    boolean integral = true;
    if (peek() == '.') {
      at++;
      integral = false;
      if (!isDigit(peek())) {
        throw error("a fraction needs a digit");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      integral = false;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (!isDigit(peek())) {
        throw error("an exponent needs a digit");
      }
      digits();
    }
    String number = text.substring(start, at);
    int digitCount = number.length() - (number.startsWith("-") ? 1 : 0);
    return integral && digitCount <= 18
        ? (Object) Long.parseLong(number)
        : (Object) Double.parseDouble(number);
  }

  private void digits() {
    while (isDigit(peek())) {
      at++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected word");
    }
    at += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void skipSpace() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("invalid JSON at offset " + at + ": " + message);
  }

  private static void write(Object value, StringBuilder out, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      quote(s, out);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        out.append(indent).append("  ");
        quote(String.valueOf(entry.getKey()), out);
        out.append(": ");
        write(entry.getValue(), out, indent + "  ");
        out.append(entries.hasNext() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        write(list.get(i), out, indent);
        if (i + 1 < list.size()) {
          out.append(", ");
        }
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  /**
   * Appends {@code s} as a JSON string. Every control character, DEL and the two Unicode line
   * separators are written as {@code \\uXXXX}, so that the text stays one line wherever it is
   * logged or stored.
   */
  public static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          // C0, DEL, C1 (NEL among them) and the Unicode line and paragraph separators: readers
          // that split
          // on any line break would otherwise see one event as two.
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
