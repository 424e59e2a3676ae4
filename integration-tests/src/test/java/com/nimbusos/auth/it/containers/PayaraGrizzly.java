package com.nimbusos.auth.it.containers;

import java.util.regex.Pattern;

/**
 * The targets Payara's Grizzly (Server and Micro) may answer itself, with an empty {@code 200} and
 * a logged stack trace, before any filter runs: so the routing suites require only that nothing of
 * the application ran, and no module can give these the documented answer.
 */
final class PayaraGrizzly {

  private static final Pattern UNDECODABLE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
  private static final Pattern TRAILING_DOT_SEGMENT = Pattern.compile("/(?:\\.|%2[eE]){1,2}\\z");
  private static final Pattern QUERY_OR_FRAGMENT = Pattern.compile("[?#].*", Pattern.DOTALL);

  private PayaraGrizzly() {}

  /**
   * An undecodable target ({@code %} not followed by two hex digits: payara/Payara#8000), or one
   * whose path ends in a dot segment ({@code /probe/x/.}, {@code /probe/x/..}). For the latter,
   * {@code HttpRequestURIDecoder.normalizeBytes} writes a {@code /} one byte past the decoded path:
   * when the pooled request's buffer is exactly that long it throws {@code
   * ArrayIndexOutOfBoundsException}, otherwise it goes on and Nimbus refuses the dot segment. Which
   * answer comes depends on what the connection's request object held before, so both are accepted.
   */
  static boolean answersItself(String target) {
    String path = QUERY_OR_FRAGMENT.matcher(target).replaceFirst("");
    return UNDECODABLE.matcher(target).find() || TRAILING_DOT_SEGMENT.matcher(path).find();
  }
}
