package com.nimbusos.auth.it.containers.app;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.api.keys.KeyStoreException;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * TEST ONLY, deployed only in the key-lifecycle suites' WAR: lets the client-side test drive {@link
 * KeyManager} inside the server, on the same {@code java:comp/DefaultDataSource} the filter
 * validates against, as an administrator's tool in the application would. Never ship anything like
 * it.
 */
@WebServlet("/test-admin/*")
public class KeyAdminServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private static String owner(HttpServletRequest request) {
    String owner = request.getParameter("owner");
    return owner == null ? "lifecycle-partner" : owner;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    try {
      KeyManager keys =
          new KeyManager(
              JdbcKeyStore.fromJndi(JdbcKeyStore.DEFAULT_DATASOURCE), KeyHasher.sha256());
      response.setContentType("text/plain");
      switch (String.valueOf(request.getPathInfo())) {
        case "/create" -> {
          CreatedKey created =
              keys.create(
                  owner(request),
                  Environment.SANDBOX,
                  Set.of(request.getParameter("scopes").split(",")),
                  null);
          response.getWriter().write(created.record().keyId() + "\n" + created.key());
        }
        case "/rotate" -> {
          Instant grace =
              Instant.now().plusSeconds(Long.parseLong(request.getParameter("graceSeconds")));
          CreatedKey created = keys.rotate(request.getParameter("keyId"), grace);
          response.getWriter().write(created.record().keyId() + "\n" + created.key());
        }
        case "/revoke" ->
            response.getWriter().write(keys.revoke(request.getParameter("keyId")).keyId());
        default -> response.sendError(404);
      }
    } catch (KeyStoreException e) {
      throw new ServletException(e);
    }
  }
}
