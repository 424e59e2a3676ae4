package com.nimbusos.auth.it.containers.app.jsec;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /servlet/ledger}: the EJB called from a servlet; its refusal propagates as the servlet's
 * exception.
 */
@WebServlet("/servlet/ledger")
public class LedgerServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject private OrderLedger ledger;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String recorded = ledger.record();
    response.setContentType("text/plain");
    response.getWriter().write(recorded);
  }
}
