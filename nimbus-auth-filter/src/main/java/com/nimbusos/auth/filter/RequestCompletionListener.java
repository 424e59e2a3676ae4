package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.engine.RequestTrail;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Records the completion of requests the Jakarta Security mechanism decided (and of any other
 * request whose trail is still open when it ends): a mechanism has no hook after the response, and
 * the container ends every request here, after its response, asynchronous ones included. Discovered
 * by the servlet container in this jar; with a {@code metadata-complete} {@code web.xml}, declare
 * it as a {@code <listener>}.
 */
@WebListener
public final class RequestCompletionListener implements ServletRequestListener {

  @Override
  public void requestDestroyed(ServletRequestEvent event) {
    if (event.getServletRequest().getAttribute(RequestAttributes.TRAIL)
            instanceof RequestTrail trail
        && !trail.isCompleted()) {
      trail.complete(trail.currentStatus());
    }
  }
}
