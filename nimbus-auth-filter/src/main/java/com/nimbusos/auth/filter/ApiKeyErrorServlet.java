package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestIds;
import com.nimbusos.auth.api.engine.RequestTrail;
import com.nimbusos.auth.api.engine.ResourceAccess;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * The error page that turns the container's own refusals into the documented JSON, for applications
 * using {@link ApiKeyAuthenticationMechanism}. Once the mechanism has accepted a key, the container
 * may still refuse the caller: a {@code web.xml} security constraint whose role is not one of the
 * key's scopes (the container answers {@code 403} with its HTML page), or an EJB whose
 * {@code @RolesAllowed} it lacks ({@code jakarta.ejb.EJBAccessException}, which a servlet turns
 * into a {@code 500}). Mapped as the error page of those, it answers {@code 403 forbidden} with the
 * request's id (the one the mechanism gave it), or {@code 401 unauthorized} when the request has no
 * caller (a public path under a constraint), and records the refusal in the audit trail. Declare it
 * in {@code web.xml}; it is not annotated, so the jar alone adds no servlet:
 *
 * <pre>{@code
 * <servlet>
 *   <servlet-name>nimbus-auth-error</servlet-name>
 *   <servlet-class>com.nimbusos.auth.filter.ApiKeyErrorServlet</servlet-class>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>nimbus-auth-error</servlet-name>
 *   <url-pattern>/nimbus-auth/error</url-pattern>
 * </servlet-mapping>
 * <error-page><error-code>403</error-code><location>/nimbus-auth/error</location></error-page>
 * <error-page>
 *   <exception-type>jakarta.ejb.EJBAccessException</exception-type>
 *   <location>/nimbus-auth/error</location>
 * </error-page>
 * }</pre>
 *
 * <p>Requested directly (not as an error page) it answers {@code 404}. Error pages for other
 * statuses or exceptions are left as they are: status only, no body.
 */
public class ApiKeyErrorServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");
  private static final String EJB_ACCESS_EXCEPTION = "jakarta.ejb.EJBAccessException";

  /** An empty {@code @RolesAllowed}: admits nobody, so a caller gets 403 and no caller 401. */
  private static final ResourceAccess REFUSED_BY_CONTAINER = ResourceAccess.anyOf(Set.of());

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (request.getDispatcherType() != DispatcherType.ERROR) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    boolean refusal =
        isEjbAccessDenied(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))
            || Integer.valueOf(HttpServletResponse.SC_FORBIDDEN).equals(status)
            || Integer.valueOf(HttpServletResponse.SC_UNAUTHORIZED).equals(status);
    StartedEngine runtime =
        getServletContext().getAttribute(ApiKeyAuthenticationMechanism.RUNTIME_ATTRIBUTE)
                instanceof StartedEngine r
            ? r
            : null;
    if (!refusal || runtime == null) {
      if (runtime == null) {
        LOG.log(
            Level.WARNING,
            "ApiKeyErrorServlet is mapped, but no ApiKeyAuthenticationMechanism has started");
      }
      if (status instanceof Integer code) {
        response.setStatus(code);
      }
      return;
    }
    AuthenticationEngine engine = runtime.engine();
    Decision refused;
    if (request.getAttribute(RequestAttributes.TRAIL) instanceof RequestTrail trail) {
      refused = engine.authorizeAndRecord(trail, REFUSED_BY_CONTAINER);
      request.setAttribute(RequestAttributes.DECISION, refused);
    } else {
      // No adapter decided this request: record the container's refusal as its one event.
      String path =
          request.getAttribute(ApiKeyAuthenticationMechanism.PATH_ATTRIBUTE) instanceof String p
              ? p
              : null;
      refused =
          engine.record(
              new ServletAuthRequest(request, path),
              (Decision.Denied)
                  engine.authorizeWithoutRecording(
                      new Decision.Anonymous(RequestIds.next()), REFUSED_BY_CONTAINER));
    }
    if (!(refused instanceof Decision.Denied denied)) {
      throw new IllegalStateException("an empty set of scopes admitted " + refused);
    }
    runtime.errors().write(response, engine.errorResponse(denied));
    if (request.getAttribute(RequestAttributes.TRAIL) instanceof RequestTrail trail) {
      // This page is the request's last word: complete its trail now, whenever the container ends
      // it.
      trail.complete(response.getStatus());
    }
  }

  /**
   * Whether {@code exception}, or one of its causes, is an EJB's access refusal (no EJB API needed
   * here).
   */
  private static boolean isEjbAccessDenied(Object exception) {
    Throwable t = exception instanceof Throwable thrown ? thrown : null;
    for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
      for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
        if (type.getName().equals(EJB_ACCESS_EXCEPTION)) {
          return true;
        }
      }
    }
    return false;
  }
}
