package com.nimbusos.auth.jaxrs.keys;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Notes, when the application starts, where it put the key management API: the {@code @Path} of
 * each of its subclasses of {@link KeyManagementResource}, under its {@code @ApplicationPath}. The
 * OpenAPI filter documents the API there, for the servers whose scanners do not follow a resource
 * method into the class it is inherited from (Payara's). The servlet container finds this
 * initializer in the jar; nothing is noted where the application has no such subclass.
 */
@HandlesTypes({KeyManagementResource.class, ApplicationPath.class})
public final class KeyManagementPaths implements ServletContainerInitializer {

  /** This jar sits in one application's {@code WEB-INF/lib}: the set is that application's. */
  private static final Set<String> PATHS = new ConcurrentSkipListSet<>();

  /** Where the application serves the key management API, as document paths ({@code /api-keys}). */
  public static Set<String> paths() {
    return new TreeSet<>(PATHS);
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    if (classes == null) {
      return;
    }
    List<String> applicationPaths =
        classes.stream()
            .filter(type -> type.isAnnotationPresent(ApplicationPath.class))
            .map(type -> type.getAnnotation(ApplicationPath.class).value())
            .distinct()
            .toList();
    // With several JAX-RS applications, which one serves the API is not knowable here: document
    // none.
    String application = applicationPaths.size() == 1 ? trim(applicationPaths.get(0)) : "";
    for (Class<?> type : classes) {
      if (KeyManagementResource.class.isAssignableFrom(type)
          && type.isAnnotationPresent(Path.class)) {
        String resource = trim(type.getAnnotation(Path.class).value());
        PATHS.add(
            ("/" + application + "/" + resource).replaceAll("/+", "/").replaceAll("(.)/$", "$1"));
      }
    }
  }

  private static String trim(String path) {
    return path.replaceAll("^/+|/+$", "");
  }
}
