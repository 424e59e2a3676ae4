package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.RequestAttributes;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Hands the connection's peer address to the JAX-RS filter, whose standard API has no way to ask for it:
 * throttling and the audit trail need it. Discovered by the servlet container in this jar; with a {@code
 * metadata-complete} {@code web.xml}, declare it as a {@code <listener>}. Outside a servlet container, the
 * address is unknown and nothing is throttled by address.
 */
@WebListener
public final class ClientAddressListener implements ServletRequestListener {

  @Override
  public void requestInitialized(ServletRequestEvent event) {
    event.getServletRequest().setAttribute(RequestAttributes.REMOTE_ADDRESS, event.getServletRequest().getRemoteAddr());
  }
}
