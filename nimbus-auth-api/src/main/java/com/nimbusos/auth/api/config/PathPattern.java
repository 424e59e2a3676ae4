package com.nimbusos.auth.api.config;

import java.util.Objects;

/**
 * A path as written in {@code nimbus.auth.public-paths} and {@code nimbus.auth.scope-rules}: either
 * exact ({@code /health}, which also matches {@code /health/}) or a prefix ending in {@code /*}
 * ({@code /orders/*}, which matches {@code /orders} and everything below it). {@code /*} matches
 * every path.
 *
 * <p>Patterns are matched against the decoded path the runtime routes on. The engine's request
 * firewall has refused, before any pattern is matched, every target whose raw form could be read
 * otherwise ({@code ..} and {@code .} segments raw or encoded, {@code ;} parameters, {@code //},
 * encoded separators), so a path trick cannot reach a protected resource through a public pattern.
 * Matching is case-sensitive, as servlet and JAX-RS routing are.
 */
public final class PathPattern {

  private final String pattern;
  private final String base;
  private final boolean prefix;

  private PathPattern(String pattern) {
    this.pattern = pattern;
    this.prefix = pattern.endsWith("/*");
    String withoutWildcard = prefix ? pattern.substring(0, pattern.length() - 2) : pattern;
    this.base =
        withoutWildcard.endsWith("/") && withoutWildcard.length() > 1
            ? withoutWildcard.substring(0, withoutWildcard.length() - 1)
            : withoutWildcard;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException if it does not start with {@code /} or has a {@code *}
   *     elsewhere than in a trailing {@code /*}
   */
  public static PathPattern parse(String pattern) {
    String p = Objects.requireNonNull(pattern, "pattern").strip();
    if (!p.startsWith("/")) {
      throw new IllegalArgumentException("path pattern '" + p + "' must start with '/'");
    }
    int star = p.indexOf('*');
    if (star >= 0 && !(star == p.length() - 1 && p.endsWith("/*"))) {
      throw new IllegalArgumentException(
          "path pattern '" + p + "' may use '*' only as a trailing '/*'");
    }
    return new PathPattern(p);
  }

  /** Whether {@code path} (decoded, starting with {@code /}) matches this pattern. */
  public boolean matches(String path) {
    if (prefix && base.isEmpty()) {
      return true;
    }
    if (path.equals(base)
        || (path.length() == base.length() + 1 && path.startsWith(base) && path.endsWith("/"))) {
      return true;
    }
    return prefix && path.startsWith(base) && path.charAt(base.length()) == '/';
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathPattern that && pattern.equals(that.pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
