package com.nimbusos.auth.api.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one INFO line that says what a Nimbus Auth adapter runs with. Several parts of one
 * application may start on the same configuration: the filter's start-up check at deployment and
 * the filter itself at its first request (WildFly starts filters only then), or the servlet filter
 * and the JAX-RS feature behind it reading the same MicroProfile Config. Each configuration is
 * logged once per application, at INFO, by the first to start on it; the others say so at DEBUG.
 * The jar lives in the application's {@code WEB-INF/lib}, so "once" is per deployment: a
 * redeployment logs its line again.
 */
public final class StartupLine {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /** The descriptions logged so far; a handful per application. */
  private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private StartupLine() {}

  /**
   * Logs {@code "Nimbus Auth <who> active: <description>"} at INFO, unless that description was
   * logged before in this application; then at DEBUG, naming {@code who}.
   *
   * @param who the adapter, such as {@code servlet filter 'nimbus-auth'}
   * @param description what it runs with: validator, audit trail, metrics, configuration
   * @return whether the line was logged at INFO
   */
  public static boolean announce(String who, String description) {
    if (ANNOUNCED.add(description)) {
      LOG.log(Level.INFO, "Nimbus Auth " + who + " active: " + description);
      return true;
    }
    LOG.log(Level.DEBUG, "Nimbus Auth " + who + " active, with the configuration logged above");
    return false;
  }
}
