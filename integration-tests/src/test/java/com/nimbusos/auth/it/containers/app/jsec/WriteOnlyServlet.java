package com.nimbusos.auth.it.containers.app.jsec;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /servlet/write-only}: guarded by nothing but the WAR's {@code web.xml} security constraint
 * (role {@code orders:write}); Nimbus's scope rules do not cover it.
 */
@WebServlet("/servlet/write-only")
public class WriteOnlyServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain");
    response
        .getWriter()
        .write(
            Views.describe(
                "write-only",
                request.getUserPrincipal(),
                request.isUserInRole(Views.READ),
                request.isUserInRole(Views.WRITE)));
  }
}
