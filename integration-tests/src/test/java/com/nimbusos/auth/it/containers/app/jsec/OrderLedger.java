package com.nimbusos.auth.it.containers.app.jsec;

import jakarta.annotation.Resource;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

/**
 * An EJB guarded by the container: recording needs the caller to hold the role (scope)
 * orders:write.
 */
@Stateless
@DeclareRoles({Views.READ, Views.WRITE})
public class OrderLedger {

  @Resource private SessionContext session;

  /**
   * Needs {@code orders:write}; the EJB container refuses anyone else with {@code
   * EJBAccessException}.
   */
  @RolesAllowed(Views.WRITE)
  public String record() {
    return "recorded for " + caller();
  }

  /** Open to any caller: what the EJB container sees of it. */
  @PermitAll
  public String caller() {
    return Views.describe(
        "ejb",
        session.getCallerPrincipal(),
        session.isCallerInRole(Views.READ),
        session.isCallerInRole(Views.WRITE));
  }
}
