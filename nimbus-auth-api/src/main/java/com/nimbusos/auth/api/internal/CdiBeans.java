package com.nimbusos.auth.api.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds a bean of a type in the application's CDI container, when there is one. Reflective, so that
 * the api module depends on the JDK only and works in plain servlet containers, where this finds
 * nothing.
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

  /**
   * Something that fires {@code type} events to the application's CDI observers, when there is a
   * CDI container and at least one observer of the type; empty otherwise, so an unobserved event
   * costs nothing. {@code sample} is any instance of the type, to ask the container about observers
   * with.
   */
  public static <T> Optional<java.util.function.Consumer<T>> eventFirer(
      Class<T> type, T sample, ClassLoader loader) {
    try {
      Class<?> cdi = Class.forName("jakarta.enterprise.inject.spi.CDI", true, loader);
      Class<?> beanManagerType =
          Class.forName("jakarta.enterprise.inject.spi.BeanManager", true, loader);
      Class<?> eventType = Class.forName("jakarta.enterprise.event.Event", true, loader);
      Object beanManager =
          cdi.getMethod("getBeanManager").invoke(cdi.getMethod("current").invoke(null));
      java.util.Set<?> observers =
          (java.util.Set<?>)
              beanManagerType
                  .getMethod("resolveObserverMethods", Object.class, Annotation[].class)
                  .invoke(beanManager, sample, new Annotation[0]);
      if (observers.isEmpty()) {
        return Optional.empty();
      }
      Object event =
          eventType
              .getMethod("select", Class.class, Annotation[].class)
              .invoke(
                  beanManagerType.getMethod("getEvent").invoke(beanManager),
                  type,
                  new Annotation[0]);
      java.lang.reflect.Method fire = eventType.getMethod("fire", Object.class);
      return Optional.of(
          payload -> {
            try {
              fire.invoke(event, payload);
            } catch (InvocationTargetException e) {
              throw e.getCause() instanceof RuntimeException runtime
                  ? runtime
                  : new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
              throw new IllegalStateException(e);
            }
          });
    } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * An instance of the annotation {@code type} with the given member values (the others take their
   * defaults), honouring {@link Annotation}'s contract for {@code equals} and {@code hashCode}: a
   * qualifier for {@link #lookup(Class, ClassLoader, Annotation...)} from a library the api module
   * does not depend on.
   */
  public static Annotation annotation(
      Class<? extends Annotation> type, Map<String, Object> values) {
    Map<String, Object> members = new TreeMap<>();
    for (Method member : type.getDeclaredMethods()) {
      Object value =
          values.containsKey(member.getName())
              ? values.get(member.getName())
              : member.getDefaultValue();
      members.put(member.getName(), Objects.requireNonNull(value, member.getName()));
    }
    InvocationHandler handler =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "annotationType" -> type;
              case "hashCode" ->
                  members.entrySet().stream()
                      .mapToInt(e -> (127 * e.getKey().hashCode()) ^ memberHash(e.getValue()))
                      .sum();
              case "equals" -> type.isInstance(args[0]) && sameMembers(type, members, args[0]);
              case "toString" -> "@" + type.getName() + members;
              default -> copyOf(members.get(method.getName()));
            };
    return (Annotation)
        Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object copyOf(Object value) {
    if (value
        .getClass()
        .isArray()) { // an annotation's array members are copies, as the JDK's own give
      int length = java.lang.reflect.Array.getLength(value);
      Object copy =
          java.lang.reflect.Array.newInstance(value.getClass().getComponentType(), length);
      System.arraycopy(value, 0, copy, 0, length);
      return copy;
    }
    return value;
  }

  private static int memberHash(Object value) {
    // An array member hashes as Arrays.hashCode(array) would; deepHashCode of a one-element wrapper
    // is
    // 31 + that, whatever the array's component type.
    return value.getClass().isArray()
        ? java.util.Arrays.deepHashCode(new Object[] {value}) - 31
        : value.hashCode();
  }

  private static boolean sameMembers(Class<?> type, Map<String, Object> members, Object other)
      throws ReflectiveOperationException {
    for (Map.Entry<String, Object> member : members.entrySet()) {
      Object theirs = type.getMethod(member.getKey()).invoke(other);
      if (!java.util.Objects.deepEquals(member.getValue(), theirs)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Looks up the one bean of {@code type} with the given qualifiers.
   *
   * @param type the bean type
   * @param loader the application's class loader, through which CDI is found
   * @param qualifiers the qualifiers; none means {@code @Default}
   * @return the bean, or why there is none
   * @throws IllegalStateException when the one bean there is cannot be created (its producer threw)
   */
  public static <T> Lookup<T> lookup(Class<T> type, ClassLoader loader, Annotation... qualifiers) {
    Object instance;
    Class<?> instanceType;
    try {
      Class<?> cdi = Class.forName("jakarta.enterprise.inject.spi.CDI", true, loader);
      instanceType = Class.forName("jakarta.enterprise.inject.Instance", true, loader);
      Object current = cdi.getMethod("current").invoke(null);
      instance =
          cdi.getMethod("select", Class.class, Annotation[].class)
              .invoke(current, type, qualifiers);
      if ((boolean) instanceType.getMethod("isUnsatisfied").invoke(instance)) {
        return new None<>();
      }
      if ((boolean) instanceType.getMethod("isAmbiguous").invoke(instance)) {
        return new Ambiguous<>();
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // No CDI API, or CDI.current() threw: the application has no CDI container.
      return new None<>();
    }
    try {
      return new Found<>(type.cast(instanceType.getMethod("get").invoke(instance)));
    } catch (InvocationTargetException e) {
      // The bean exists but could not be made (its producer threw): the application's error, not
      // "no bean".
      throw new IllegalStateException(
          "the CDI bean of type " + type.getName() + " could not be created: " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the CDI bean of type " + type.getName() + " could not be looked up: " + e, e);
    }
  }

  /**
   * The class name of {@code bean} as its author wrote it: CDI client proxies (Weld's {@code
   * …$Proxy$_$$_WeldClientProxy}, OpenWebBeans' {@code …$$OwbNormalScopeProxy0}) name their bean's
   * class plus a suffix that means nothing to the reader of a log line.
   */
  public static String className(Object bean) {
    return bean.getClass()
        .getName()
        .replaceFirst("\\$Proxy\\$_\\$\\$_Weld.*$", "")
        .replaceFirst("\\$\\$Owb[A-Za-z]*Proxy[0-9]*$", "");
  }
}
