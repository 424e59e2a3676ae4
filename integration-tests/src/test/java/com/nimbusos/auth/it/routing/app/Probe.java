package com.nimbusos.auth.it.routing.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TEST ONLY: what every wiring adds to its configuration for the routing corpus: {@value
 * #PUBLIC_PATH} as a public path (nothing is served under it: reaching {@link ProbeResource}
 * through it is the attack), and scope rules on {@code /probe}. The contract suites never touch
 * either path.
 */
public final class Probe {

  /** A public prefix under which the application serves nothing. */
  public static final String PUBLIC_PATH = "/public/*";

  /** The probe's scope rules; every other method on it is covered by no rule. */
  public static final String SCOPE_RULES =
      "GET /probe/* = orders:read; POST /probe/* = orders:write";

  /**
   * Echo headers of {@link ProbeResource}: the method it was routed as, its decoded path, the
   * caller's key id.
   */
  public static final String METHOD_HEADER = "X-Probe-Method";

  public static final String PATH_HEADER = "X-Probe-Path";
  public static final String KEY_HEADER = "X-Probe-Key";

  /** The key id echoed when the resource sees no caller. */
  public static final String NO_KEY = "none";

  private Probe() {}

  /**
   * {@code properties} with {@value #PUBLIC_PATH} added to the public paths and {@link
   * #SCOPE_RULES} to the rules.
   */
  public static Map<String, String> with(Map<String, String> properties) {
    Map<String, String> withProbe = new LinkedHashMap<>(properties);
    withProbe.merge("nimbus.auth.public-paths", PUBLIC_PATH, (paths, added) -> paths + "," + added);
    withProbe.merge("nimbus.auth.scope-rules", SCOPE_RULES, (rules, added) -> rules + "; " + added);
    return withProbe;
  }
}
