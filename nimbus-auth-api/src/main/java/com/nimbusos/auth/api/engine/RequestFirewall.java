package com.nimbusos.auth.api.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Refuses request targets that containers and JAX-RS runtimes could read differently, before
 * anything else is decided, in the spirit of Spring Security's {@code StrictHttpFirewall}. A
 * servlet container decodes and normalises the path ({@code /a/%2e%2e/b} becomes {@code /b}) while
 * a JAX-RS runtime may route on the raw one ({@code /a/{rest}}): whatever the engine decided would
 * then not be what the application serves. Rather than guess each runtime's reading, the engine
 * only decides targets that every reading agrees on.
 *
 * <p>It works on the raw request path, as the client sent it: printable ASCII only; no {@code \},
 * no {@code #}; percent-escapes well formed, decoding to UTF-8 without overlong forms or control
 * characters; no encoded {@code %}, {@code /}, {@code \}, {@code .} or {@code ;}; no path
 * parameters ({@code ;}), except a trailing {@code ;jsessionid=…} where allowed; no empty segment
 * ({@code //}), no {@code .} or {@code ..} segment. The method must be one of the allowed ones,
 * spelled exactly (methods are case-sensitive). Thread-safe, immutable.
 */
final class RequestFirewall {

  private static final String JSESSIONID = ";jsessionid=";

  private final Set<String> allowedMethods;
  private final boolean allowJsessionid;

  RequestFirewall(Set<String> allowedMethods, boolean allowJsessionid) {
    this.allowedMethods = Set.copyOf(allowedMethods);
    this.allowJsessionid = allowJsessionid;
  }

  /** Whether the method may be decided at all. */
  boolean allowsMethod(String method) {
    return allowedMethods.contains(method);
  }

  /**
   * Why {@code rawPath} is refused, or {@code null} if it is unambiguous.
   *
   * @param rawPath the path of the request target, not decoded, without the query
   */
  DenialReason check(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return DenialReason.ILLEGAL_CHARACTER;
    }
    String path = withoutJsessionid(rawPath);
    boolean escaped = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return DenialReason.CONTROL_CHARACTER;
      }
      if (c > 0x7e || c == ' ' || c == '#') {
        return DenialReason.ILLEGAL_CHARACTER;
      }
      if (c == '\\') {
        return DenialReason.BACKSLASH;
      }
      if (c == ';') {
        return DenialReason.PATH_PARAMETER;
      }
      if (c == '%') {
        DenialReason escape = escape(path, i);
        if (escape != null) {
          return escape;
        }
        escaped = true;
        i += 2;
      }
    }
    // Without an escape the path is its own decoding, printable ASCII as checked above: no C1
    // control can
    // hide in it, and its segments are checked as they are, with no decoding.
    return escaped ? segments(path) : dotOrEmptySegment(path);
  }

  /**
   * Whether the decoded {@code path} (or the raw path, where they agree) equals {@code base +
   * path}: the agreement check of the engine, without building the concatenation on every request.
   */
  static boolean equalsConcatenation(String decoded, String base, String path) {
    return decoded.length() == base.length() + path.length()
        && decoded.startsWith(base)
        && decoded.startsWith(path, base.length());
  }

  /**
   * {@code rawPath} decoded as every runtime decodes it once {@link #check} accepted it:
   * percent-escapes as UTF-8, a trailing {@code ;jsessionid=…} (where allowed) removed, as
   * containers remove it.
   *
   * @throws IllegalArgumentException if it cannot be decoded
   */
  String decode(String rawPath) {
    String path = withoutJsessionid(rawPath);
    if (path.indexOf('%') < 0) {
      return path;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        int high = i + 2 < path.length() ? hex(path.charAt(i + 1)) : -1;
        int low = high < 0 ? -1 : hex(path.charAt(i + 2));
        if (low < 0) {
          throw new IllegalArgumentException("invalid percent-escape");
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8", e);
    }
  }

  /**
   * The path without a trailing {@code ;jsessionid=…}, where that is allowed; else the path itself.
   */
  private String withoutJsessionid(String rawPath) {
    if (!allowJsessionid || rawPath.indexOf(';') < 0) {
      return rawPath; // no ';', no ";jsessionid=": spares the lower-case copy on nearly every
      // request
    }
    int at = rawPath.toLowerCase(java.util.Locale.ROOT).lastIndexOf(JSESSIONID);
    if (at < 0) {
      return rawPath;
    }
    for (int i = at + JSESSIONID.length(); i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      boolean idChar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_'
              || c == '!'
              || c == '*';
      if (!idChar) {
        return rawPath; // something else follows: a path parameter like any other
      }
    }
    return rawPath.substring(0, at);
  }

  /**
   * Checks the escape at {@code at}: well formed, and not one of the characters that change a
   * path's shape.
   */
  private static DenialReason escape(String path, int at) {
    if (at + 2 >= path.length() || hex(path.charAt(at + 1)) < 0 || hex(path.charAt(at + 2)) < 0) {
      return DenialReason.BAD_ENCODING;
    }
    int value = hex(path.charAt(at + 1)) << 4 | hex(path.charAt(at + 2));
    return switch (value) {
      case '%' ->
          DenialReason.BAD_ENCODING; // double encoding: %252e is %2e to whoever decodes twice
      case '/', '\\' -> DenialReason.ENCODED_SEPARATOR;
      case '.' -> DenialReason.DOT_SEGMENT;
      case ';' -> DenialReason.PATH_PARAMETER;
      default -> value < 0x20 || value == 0x7f ? DenialReason.CONTROL_CHARACTER : null;
    };
  }

  /**
   * Checks the decoded segments: no empty, {@code .} or {@code ..} one; valid UTF-8, no C1
   * controls.
   */
  private DenialReason segments(String path) {
    String decoded;
    try {
      decoded = decode(path);
    } catch (IllegalArgumentException e) {
      return DenialReason.BAD_ENCODING;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c >= 0x80 && c <= 0x9f) {
        return DenialReason.CONTROL_CHARACTER;
      }
    }
    return dotOrEmptySegment(decoded);
  }

  /**
   * A {@code .} or {@code ..} segment, or an empty one before the end ({@code //}), in a decoded
   * path.
   */
  private static DenialReason dotOrEmptySegment(String decoded) {
    int length = decoded.length();
    int start = 1;
    while (start <= length) {
      int end = decoded.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      int size = end - start;
      if (size == 1 && decoded.charAt(start) == '.'
          || size == 2 && decoded.charAt(start) == '.' && decoded.charAt(start + 1) == '.') {
        return DenialReason.DOT_SEGMENT;
      }
      if (size == 0 && end < length) {
        return DenialReason
            .EMPTY_SEGMENT; // "//"; a single trailing "/" is an empty last segment, allowed
      }
      start = end + 1;
    }
    return null;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
