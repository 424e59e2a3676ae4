package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.engine.AuthRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** A servlet request as the engine sees it. */
final class ServletAuthRequest implements AuthRequest {

  private final HttpServletRequest request;

  /**
   * The path to report, given or, once asked, the request's own: the engine asks for it several
   * times.
   */
  private String path;

  ServletAuthRequest(HttpServletRequest request) {
    this(request, null);
  }

  /**
   * The request with the path it had when it was first decided: an error page's dispatch reports
   * the page's own path, while the audit trail wants the path the client asked for.
   *
   * @param path the path to report, or {@code null} for the request's current one
   */
  ServletAuthRequest(HttpServletRequest request, String path) {
    this.request = request;
    this.path = path;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  /** The request URI, which the servlet specification keeps undecoded, path parameters included. */
  @Override
  public String rawPath() {
    return request.getRequestURI();
  }

  /**
   * The context path, as the container gives it (it matches the raw path only where it needs no
   * decoding).
   */
  @Override
  public String basePath() {
    String contextPath = request.getContextPath();
    return contextPath == null ? "" : contextPath;
  }

  /**
   * Servlet path plus path info: decoded and normalised by the container, without path parameters.
   */
  @Override
  public String path() {
    if (path != null) {
      return path;
    }
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String current =
        pathInfo == null
            ? (servletPath == null ? "" : servletPath)
            : (servletPath == null ? "" : servletPath) + pathInfo;
    path = current.isEmpty() ? "/" : current;
    return path;
  }

  @Override
  public List<String> headerValues(String name) {
    Enumeration<String> values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  @Override
  public boolean isSecure() {
    return request.isSecure();
  }

  @Override
  public String remoteAddress() {
    return request.getRemoteAddr();
  }
}
