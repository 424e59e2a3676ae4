package com.nimbusos.auth.api.config;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@code nimbus.auth.scope-rules}: requests whose method and path match need a key
 * with at least one of the listed scopes, else they get {@code 403 forbidden}.
 *
 * <p>Written {@code [METHOD[,METHOD…]] /path-pattern = scope [scope…]}, for example {@code GET
 * /orders/* = orders:read} or {@code /admin/* = admin}. Without methods the rule applies to every
 * method; {@code HEAD} follows {@code GET}'s rules. Rules are tried in order; the first that
 * matches decides. A method that no rule for a path names is refused on that path (see {@link
 * NimbusAuthConfig#DENY_UNCOVERED_METHODS}).
 *
 * @param methods upper-case HTTP methods, empty for all
 * @param path the path pattern
 * @param anyOfScopes the scopes of which the key needs at least one
 */
public record ScopeRule(Set<String> methods, PathPattern path, Set<String> anyOfScopes) {

  /** Copies the sets and rejects a rule with no scope. */
  public ScopeRule {
    methods = Set.copyOf(methods);
    Objects.requireNonNull(path, "path");
    anyOfScopes = Set.copyOf(anyOfScopes);
    if (anyOfScopes.isEmpty()) {
      throw new IllegalArgumentException("rule for " + path + " names no scope");
    }
  }

  /**
   * Parses one rule.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static ScopeRule parse(String rule) {
    int equals = rule.indexOf('=');
    if (equals < 0) {
      throw new IllegalArgumentException(
          "rule '" + rule.strip() + "' must read '[METHOD] /path = scope [scope…]'");
    }
    List<String> left = words(rule.substring(0, equals));
    if (left.isEmpty() || left.size() > 2) {
      throw new IllegalArgumentException(
          "rule '" + rule.strip() + "' must read '[METHOD] /path = scope [scope…]'");
    }
    Set<String> methods = new LinkedHashSet<>();
    if (left.size() == 2) {
      for (String method : left.get(0).split(",", -1)) {
        if (!method.isBlank()) {
          methods.add(method.strip().toUpperCase(Locale.ROOT));
        }
      }
    }
    PathPattern path = PathPattern.parse(left.get(left.size() - 1));
    Set<String> scopes = new LinkedHashSet<>(words(rule.substring(equals + 1).replace(',', ' ')));
    return new ScopeRule(methods, path, scopes);
  }

  /** Whether this rule applies to a request. */
  public boolean appliesTo(String method, String requestPath) {
    return coversMethod(method) && path.matches(requestPath);
  }

  /**
   * Whether this rule names {@code method}: a rule without methods names them all, and {@code HEAD}
   * is governed by {@code GET}'s rules, since a server answers a {@code HEAD} by running its {@code
   * GET}.
   */
  public boolean coversMethod(String method) {
    return methods.isEmpty()
        || methods.contains(method)
        || method.equals("HEAD") && methods.contains("GET");
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }
}
