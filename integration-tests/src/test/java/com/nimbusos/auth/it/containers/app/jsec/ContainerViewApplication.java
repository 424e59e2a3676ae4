package com.nimbusos.auth.it.containers.app.jsec;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * A second JAX-RS application, at {@code /container}, listing its one resource: no scanning, so no
 * Nimbus JAX-RS feature, and the JAX-RS {@code SecurityContext} its resource sees is the
 * container's own.
 */
@ApplicationPath("container")
public class ContainerViewApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(ContainerViewResource.class);
  }
}
