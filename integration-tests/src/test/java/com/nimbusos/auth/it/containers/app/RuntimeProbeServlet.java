package com.nimbusos.auth.it.containers.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * TEST ONLY, in every container WAR: the Java feature version the server runs on and its Servlet
 * version ({@code GET /it-runtime}, text {@code java=25 servlet=6.0}), so that a suite meant for a
 * newer platform proves it ran there. Never ship anything like it.
 */
@WebServlet("/it-runtime")
public class RuntimeProbeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain");
    response
        .getWriter()
        .write(
            "java="
                + Runtime.version().feature()
                + " servlet="
                + getServletContext().getEffectiveMajorVersion()
                + "."
                + getServletContext().getEffectiveMinorVersion());
  }
}
