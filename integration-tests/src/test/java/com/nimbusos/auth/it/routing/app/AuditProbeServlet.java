package com.nimbusos.auth.it.routing.app;

import com.nimbusos.auth.api.audit.AuditEvent;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * TEST ONLY, in the routing corpus WARs: the audit events {@link AuditRecorder} kept for one
 * request ({@code GET /it-audit?id=req_…}), one {@link AuditTrail#line} per event, text. Never ship
 * anything like it.
 */
@WebServlet("/it-audit")
public class AuditProbeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String requestId = request.getParameter("id");
    if (requestId == null) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "id=req_… missing");
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (AuditEvent event : CDI.current().select(AuditRecorder.class).get().of(requestId)) {
      lines.append(AuditTrail.line(event)).append('\n');
    }
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(lines.toString());
  }
}
