package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.audit.AuditSinks;
import com.nimbusos.auth.api.engine.ValidatorResolver;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes, when the web application stops, the validators and audit sinks the JAX-RS feature created itself
 * (a key store's validator runs a poll thread, a file trail holds its files and a writer thread: they would
 * otherwise outlive the application and keep its class loader, on every redeployment). JAX-RS has no
 * shutdown hook of its own; the servlet container finds this listener in the jar (declare it as a {@code
 * <listener>} in a {@code metadata-complete} {@code web.xml}). Validators and sinks given in code, and CDI
 * beans, are their owners' to close.
 */
@WebListener
public final class ReleaseOnUndeploy implements ServletContextListener {

  /** Per application class loader, so that a jar shared by several applications closes only the right ones. */
  private static final Map<ClassLoader, List<Runnable>> OWNED = new HashMap<>();

  /** Remembers a validator the feature created for the application of {@code loader}. */
  static void register(ClassLoader loader, ValidatorResolver.Resolved resolved) {
    if (resolved.owned()) {
      remember(loader, resolved::closeIfOwned);
    }
  }

  /** Remembers an audit sink the feature created for the application of {@code loader}. */
  static void register(ClassLoader loader, AuditSinks.Resolved resolved) {
    if (resolved.owned()) {
      remember(loader, resolved::closeIfOwned);
    }
  }

  private static void remember(ClassLoader loader, Runnable release) {
    synchronized (OWNED) {
      OWNED.computeIfAbsent(loader, any -> new ArrayList<>()).add(release);
    }
  }

  /** Validators and audit sinks registered for {@code loader} and not closed yet. */
  static int registered(ClassLoader loader) {
    synchronized (OWNED) {
      return OWNED.getOrDefault(loader, List.of()).size();
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader() : Thread.currentThread().getContextClassLoader();
    List<Runnable> owned;
    synchronized (OWNED) {
      owned = OWNED.remove(loader);
    }
    if (owned != null) {
      owned.forEach(Runnable::run);
    }
  }
}
