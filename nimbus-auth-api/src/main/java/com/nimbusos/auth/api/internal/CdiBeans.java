package com.nimbusos.auth.api.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * Finds a bean of a type in the application's CDI container, when there is one. Reflective, so that the api
 * module depends on the JDK only and works in plain servlet containers, where this finds nothing.
 */
public final class CdiBeans {

  private CdiBeans() {}

  /** What a lookup found. */
  public sealed interface Lookup<T> {}

  /** Exactly one bean; {@code bean} is its (possibly proxied) instance. */
  public record Found<T>(T bean) implements Lookup<T> {}

  /** Several beans of the type, and nothing says which. */
  public record Ambiguous<T>() implements Lookup<T> {}

  /** No CDI container, or no bean of the type. */
  public record None<T>() implements Lookup<T> {}

  /** Looks up the one bean of {@code type}. */
  public static <T> Lookup<T> lookup(Class<T> type, ClassLoader loader) {
    Object current;
    Class<?> instanceType;
    try {
      Class<?> cdi = Class.forName("jakarta.enterprise.inject.spi.CDI", true, loader);
      instanceType = Class.forName("jakarta.enterprise.inject.Instance", true, loader);
      current = cdi.getMethod("current").invoke(null);
      Object instance =
          cdi.getMethod("select", Class.class, Annotation[].class).invoke(current, type, new Annotation[0]);
      if ((boolean) instanceType.getMethod("isUnsatisfied").invoke(instance)) {
        return new None<>();
      }
      if ((boolean) instanceType.getMethod("isAmbiguous").invoke(instance)) {
        return new Ambiguous<>();
      }
      return new Found<>(type.cast(instanceType.getMethod("get").invoke(instance)));
    } catch (ClassNotFoundException | LinkageError e) {
      return new None<>();
    } catch (InvocationTargetException e) {
      // CDI.current() throws IllegalStateException where the application has no CDI container.
      return new None<>();
    } catch (ReflectiveOperationException e) {
      return new None<>();
    }
  }
}
