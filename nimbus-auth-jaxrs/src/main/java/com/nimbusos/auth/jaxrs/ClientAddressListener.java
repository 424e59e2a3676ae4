package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Hands the connection's peer address to the JAX-RS filter, whose standard API has no way to ask
 * for it: throttling and the audit trail need it. Also the method as the client sent it, for the
 * audit trail, since Jersey reports a {@code HEAD} served by a {@code GET} method as {@code GET}.
 * Discovered by the servlet container in this jar; with a {@code metadata-complete} {@code
 * web.xml}, declare it as a {@code <listener>}. Outside a servlet container, the address is unknown
 * and nothing is throttled by address.
 */
@WebListener
public final class ClientAddressListener implements ServletRequestListener {

  @Override
  public void requestInitialized(ServletRequestEvent event) {
    event
        .getServletRequest()
        .setAttribute(RequestAttributes.REMOTE_ADDRESS, event.getServletRequest().getRemoteAddr());
    if (event.getServletRequest() instanceof HttpServletRequest http) {
      http.setAttribute(RequestAttributes.CLIENT_METHOD, http.getMethod());
    }
  }
}
