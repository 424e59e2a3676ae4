package com.nimbusos.auth.api.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One place {@code nimbus.auth.*} properties are read from: filter init-params, servlet
 * context-params, JAX-RS configuration, system properties. {@link NimbusAuthConfig#load} consults
 * several in precedence order; the first that has a property wins.
 */
public interface PropertySource {

  /** The value of {@code name}, or {@code null} when this source does not define it. */
  String get(String name);

  /**
   * The names this source defines, so that a misspelt {@code nimbus.auth.*} property is reported
   * instead of silently ignored. Sources that cannot list their names return an empty set.
   */
  default Set<String> names() {
    return Set.of();
  }

  /**
   * A source backed by a copy of a map; its keys are listed. An entry whose value is {@code null}
   * (JAX-RS and servlet property maps may hold them) is not defined.
   */
  static PropertySource of(Map<String, ?> properties) {
    Map<String, Object> defined = new HashMap<>();
    properties.forEach(
        (name, value) -> {
          if (value != null) {
            defined.put(name, value);
          }
        });
    Map<String, ?> copy = Map.copyOf(defined);
    return of(name -> copy.get(name) == null ? null : String.valueOf(copy.get(name)), copy::keySet);
  }

  /** A source from a lookup function and a supplier of its names. */
  static PropertySource of(Function<String, String> lookup, Supplier<Set<String>> names) {
    return new PropertySource() {
      @Override
      public String get(String name) {
        return lookup.apply(name);
      }

      @Override
      public Set<String> names() {
        return names.get();
      }
    };
  }

  /** The JVM's system properties, read when consulted. */
  static PropertySource systemProperties() {
    return of(System::getProperty, System.getProperties()::stringPropertyNames);
  }
}
