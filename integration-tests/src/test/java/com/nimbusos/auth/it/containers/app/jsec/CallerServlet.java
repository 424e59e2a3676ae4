package com.nimbusos.auth.it.containers.app.jsec;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /servlet/caller}: the caller as the container's own APIs see it, one line each: the
 * servlet request, Jakarta Security's {@link SecurityContext}, an EJB's {@code SessionContext}, and
 * {@code @Inject ApiKeyPrincipal} (Nimbus's CDI producer).
 */
@WebServlet("/servlet/caller")
public class CallerServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject private SecurityContext security;
  @Inject private OrderLedger ledger;
  @Inject private Instance<ApiKeyPrincipal> injected;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String servlet =
        Views.describe(
                "servlet",
                request.getUserPrincipal(),
                request.isUserInRole(Views.READ),
                request.isUserInRole(Views.WRITE))
            + " remoteUser="
            + request.getRemoteUser()
            + " authType="
            + request.getAuthType();
    String jakartaSecurity =
        Views.describe(
                "jakarta-security",
                security.getCallerPrincipal(),
                security.isCallerInRole(Views.READ),
                security.isCallerInRole(Views.WRITE))
            + " principalsByType="
            + Views.keyIds(security.getPrincipalsByType(ApiKeyPrincipal.class));
    response.setContentType("text/plain");
    ApiKeyPrincipal caller = injected.get();
    String cdi = "cdi keyId=" + (caller == null ? "none" : caller.keyId());
    response
        .getWriter()
        .write(servlet + "\n" + jakartaSecurity + "\n" + ledger.caller() + "\n" + cdi);
  }
}
