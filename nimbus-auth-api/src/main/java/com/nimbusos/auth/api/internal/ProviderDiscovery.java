package com.nimbusos.auth.api.internal;

import com.nimbusos.auth.api.config.ConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Finds the one provider of an extension point (a {@code KeyValidator}, an {@code AuditSink},
 * {@code AuthMetrics}) that a deployment offers, first match wins:
 *
 * <ol>
 *   <li>the instance given in code;
 *   <li>the class named by a setting ({@link #className}), made with its public no-argument
 *       constructor;
 *   <li>what the caller's own settings make ({@link #configured}: a keys file, the file trail...);
 *   <li>the application's one CDI bean of the type, when the application has CDI;
 *   <li>exactly one {@link ServiceLoader} provider, unless {@link #withoutServices()}.
 * </ol>
 *
 * <p>Finding nothing is an empty answer, for the caller's own default or refusal. A source that is
 * broken (a class that cannot be made, a bean whose producer threw, an unusable service) or
 * ambiguous (two beans, two services) fails with a {@link ConfigurationException} naming the
 * setting: it is never skipped, nor one of two picked, so that a mistake cannot quietly turn into
 * another provider, or none.
 *
 * @param <T> the extension point
 */
public final class ProviderDiscovery<T> {

  /**
   * A provider found, where (for the start-up line) and whether it was made here: then whoever
   * found it closes it when done; an instance given in code or a CDI bean belongs to others.
   *
   * @param <T> the extension point
   * @param provider the provider
   * @param source where it came from, e.g. {@code nimbus.auth.validator=com.example.Keys}
   * @param owned whether it was made here
   */
  public record Found<T>(T provider, String source, boolean owned) {}

  private final Class<T> type;
  private final String property;
  private final ClassLoader loader;
  private Optional<String> className = Optional.empty();
  private Supplier<Optional<Found<T>>> configured = Optional::empty;
  private String ambiguousBeansAdvice = "";
  private boolean services = true;
  private Consumer<String> beforeUse = found -> {};

  private ProviderDiscovery(Class<T> type, String property, ClassLoader loader) {
    this.type = Objects.requireNonNull(type, "type");
    this.property = Objects.requireNonNull(property, "property");
    this.loader = loader;
  }

  /**
   * A discovery of {@code type}'s provider.
   *
   * @param type the extension point
   * @param property the setting every failure names
   * @param loader where classes, beans and services are looked for, usually the application's
   */
  public static <T> ProviderDiscovery<T> of(Class<T> type, String property, ClassLoader loader) {
    return new ProviderDiscovery<>(type, property, loader);
  }

  /** The class to make, when the configuration names one (step 2). */
  public ProviderDiscovery<T> className(Optional<String> name) {
    this.className = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * The caller's own settings (step 3): what they make, or empty when they name nothing. It may
   * throw {@link ConfigurationException}, which ends the discovery.
   */
  public ProviderDiscovery<T> configured(Supplier<Optional<Found<T>>> step) {
    this.configured = Objects.requireNonNull(step, "step");
    return this;
  }

  /**
   * What the refusal of two CDI beans advises, after {@code several CDI beans implement Type; }.
   */
  public ProviderDiscovery<T> ambiguousBeans(String advice) {
    this.ambiguousBeansAdvice = Objects.requireNonNull(advice, "advice");
    return this;
  }

  /** Skips the {@link ServiceLoader} step, for an extension point that has no services. */
  public ProviderDiscovery<T> withoutServices() {
    this.services = false;
    return this;
  }

  /**
   * A check run on what CDI or {@link ServiceLoader} found ({@code "a CDI bean"}, {@code "a service
   * (com.example.Sink)"}) before it is used, and before a service is made: it throws {@link
   * ConfigurationException} to refuse it (settings that provider would ignore, say).
   */
  public ProviderDiscovery<T> checkBeforeUse(Consumer<String> check) {
    this.beforeUse = Objects.requireNonNull(check, "check");
    return this;
  }

  /**
   * Runs the steps in order.
   *
   * @param explicit the instance given in code, or {@code null}
   * @return the first provider found, or empty when no step found one
   * @throws ConfigurationException naming the setting when a step's source is broken or ambiguous
   */
  public Optional<Found<T>> find(T explicit) {
    if (explicit != null) {
      return Optional.of(
          new Found<>(explicit, "instance of " + explicit.getClass().getName(), false));
    }
    if (className.isPresent()) {
      String name = className.get();
      return Optional.of(new Found<>(instantiate(name), property + "=" + name, true));
    }
    Optional<Found<T>> own = configured.get();
    if (own.isPresent()) {
      return own;
    }
    Optional<Found<T>> bean = bean();
    if (bean.isPresent() || !services) {
      return bean;
    }
    return service();
  }

  private T instantiate(String name) {
    try {
      Class<?> found = Class.forName(name, true, loader);
      if (!type.isAssignableFrom(found)) {
        throw new ConfigurationException(property, name + " does not implement " + type.getName());
      }
      return type.cast(found.getConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException(property, "class " + name + " not found", e);
    } catch (NoSuchMethodException e) {
      throw new ConfigurationException(
          property, name + " needs a public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new ConfigurationException(
          property, "constructor of " + name + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      // LinkageError: a static initialiser that threw, a class the application lacks.
      throw new ConfigurationException(property, "cannot create " + name + ": " + e, e);
    }
  }

  private Optional<Found<T>> bean() {
    CdiBeans.Lookup<T> lookup;
    try {
      lookup = CdiBeans.lookup(type, loader);
    } catch (IllegalStateException e) {
      // The bean exists but its producer threw: the application's error, not "no bean".
      throw new ConfigurationException(property, e.getMessage(), e);
    }
    if (lookup instanceof CdiBeans.Ambiguous<T>) {
      throw new ConfigurationException(
          property,
          "several CDI beans implement "
              + type.getSimpleName()
              + (ambiguousBeansAdvice.isEmpty() ? "" : "; " + ambiguousBeansAdvice));
    }
    if (lookup instanceof CdiBeans.Found<T> found) {
      beforeUse.accept("a CDI bean");
      // The container manages the bean's life: not ours to close.
      return Optional.of(
          new Found<>(found.bean(), "CDI bean " + CdiBeans.className(found.bean()), false));
    }
    return Optional.empty();
  }

  private Optional<Found<T>> service() {
    List<ServiceLoader.Provider<T>> providers;
    try {
      providers = ServiceLoader.load(type, loader).stream().toList();
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException(
          property,
          "a service in META-INF/services/" + type.getName() + " is unusable: " + e.getMessage(),
          e);
    }
    if (providers.size() > 1) {
      throw new ConfigurationException(
          property,
          "several "
              + type.getSimpleName()
              + " services found "
              + providers.stream().map(p -> p.type().getName()).toList()
              + "; name the one to use");
    }
    if (providers.isEmpty()) {
      return Optional.empty();
    }
    ServiceLoader.Provider<T> provider = providers.get(0);
    String name = provider.type().getName();
    beforeUse.accept("a service (" + name + ")");
    try {
      return Optional.of(new Found<>(provider.get(), "ServiceLoader " + name, true));
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException(
          property,
          type.getSimpleName() + " service " + name + " cannot be created: " + e.getMessage(),
          e);
    }
  }
}
