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
 * Closes, when the web application stops, the validators and audit sinks the JAX-RS feature created
 * itself (a key store's validator runs a poll thread, a file trail holds its files and a writer
 * thread: they would otherwise outlive the application and keep its class loader, on every
 * redeployment). JAX-RS has no shutdown hook of its own; the servlet container finds this listener
 * in the jar (declare it as a {@code <listener>} in a {@code metadata-complete} {@code web.xml}).
 * Validators and sinks given in code, and CDI beans, are their owners' to close.
 */
@WebListener
public final class ReleaseOnUndeploy implements ServletContextListener {

  /**
   * Per application class loader, so that a jar shared by several applications closes only the
   * right ones.
   */
  private static final Map<ClassLoader, List<Runnable>> OWNED = new HashMap<>();

  /** Each running application's context path, which names its default audit trail. */
  private static final Map<ClassLoader, String> CONTEXT_PATHS = new HashMap<>();

  /**
   * The context path of the application of {@code loader}, as the container started it, or {@code
   * null} outside a servlet container (or where the listener was not declared in a {@code
   * metadata-complete} {@code web.xml}): JAX-RS's own API does not say it.
   */
  public static String contextPath(ClassLoader loader) {
    synchronized (OWNED) {
      return CONTEXT_PATHS.get(loader);
    }
  }

  /** Remembers a validator the feature created for the application of {@code loader}. */
  static void register(ClassLoader loader, ValidatorResolver.Resolved resolved) {
    if (resolved.owned()) {
      remember(loader, resolved::closeIfOwned);
    }
  }

  /**
   * Remembers an audit sink created for the application of {@code loader} (by the feature or the
   * key management API), to close it when the application stops.
   */
  public static void register(ClassLoader loader, AuditSinks.Resolved resolved) {
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
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    synchronized (OWNED) {
      CONTEXT_PATHS.put(loaderOf(context), context.getContextPath());
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    ClassLoader loader = loaderOf(context);
    List<Runnable> owned;
    synchronized (OWNED) {
      owned = OWNED.remove(loader);
      CONTEXT_PATHS.remove(loader);
    }
    if (owned != null) {
      owned.forEach(Runnable::run);
    }
  }

  private static ClassLoader loaderOf(ServletContext context) {
    return context.getClassLoader() != null
        ? context.getClassLoader()
        : Thread.currentThread().getContextClassLoader();
  }
}
