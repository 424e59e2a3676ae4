package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.ResourceAccess;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * Reads a resource method's access from its security annotations; the method's own win over its
 * class's.
 */
final class Annotations {

  private Annotations() {}

  static ResourceAccess accessOf(Method method, Class<?> resourceClass) {
    ResourceAccess own = method == null ? null : declared(method);
    if (own != null) {
      return own;
    }
    ResourceAccess inherited = resourceClass == null ? null : declared(resourceClass);
    return inherited != null ? inherited : ResourceAccess.authenticated();
  }

  private static ResourceAccess declared(AnnotatedElement element) {
    if (element.isAnnotationPresent(DenyAll.class)) {
      return ResourceAccess.denyAll();
    }
    RolesAllowed roles = element.getAnnotation(RolesAllowed.class);
    if (roles != null) {
      return ResourceAccess.anyOf(Set.of(roles.value()));
    }
    if (element.isAnnotationPresent(PermitAll.class)) {
      return ResourceAccess.permitAll();
    }
    return null;
  }
}
