package com.nimbusos.auth.api.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code nimbus.auth.*} from MicroProfile Config when the platform has it (WildFly and Payara
 * do), so that {@code microprofile-config.properties}, environment variables such as {@code
 * NIMBUS_AUTH_ENVIRONMENT} and every other configured source apply. Looked up reflectively: the api
 * module depends on the JDK only, and without MicroProfile Config this source is simply empty.
 */
public final class MicroProfileConfigSource implements PropertySource {

  private final Object config;
  private final Method getOptionalValue;
  private final Method getPropertyNames;

  private MicroProfileConfigSource(
      Object config, Method getOptionalValue, Method getPropertyNames) {
    this.config = config;
    this.getOptionalValue = getOptionalValue;
    this.getPropertyNames = getPropertyNames;
  }

  /** The application's MicroProfile Config, if the platform provides one. */
  public static Optional<PropertySource> of(ClassLoader loader) {
    try {
      Class<?> provider =
          Class.forName("org.eclipse.microprofile.config.ConfigProvider", true, loader);
      Object config = provider.getMethod("getConfig", ClassLoader.class).invoke(null, loader);
      Class<?> type = Class.forName("org.eclipse.microprofile.config.Config", true, loader);
      return Optional.of(
          new MicroProfileConfigSource(
              config,
              type.getMethod("getOptionalValue", String.class, Class.class),
              type.getMethod("getPropertyNames")));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    } catch (InvocationTargetException e) {
      // MicroProfile Config is on the class path but has no implementation or config for this
      // loader.
      return Optional.empty();
    } catch (ReflectiveOperationException e) {
      return Optional.empty();
    }
  }

  @Override
  public String get(String name) {
    try {
      return ((Optional<?>) getOptionalValue.invoke(config, name, String.class))
          .map(String::valueOf)
          .orElse(null);
    } catch (InvocationTargetException e) {
      throw new ConfigurationException(
          name, "MicroProfile Config cannot read it: " + e.getCause().getMessage(), e.getCause());
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  @Override
  public Set<String> names() {
    try {
      Set<String> names = new HashSet<>();
      for (Object name : (Iterable<?>) getPropertyNames.invoke(config)) {
        names.add(String.valueOf(name));
      }
      return names;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Set.of();
    }
  }

  @Override
  public String toString() {
    return "MicroProfile Config";
  }
}
