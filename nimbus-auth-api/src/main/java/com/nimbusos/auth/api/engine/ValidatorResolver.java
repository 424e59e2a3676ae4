package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.CdiBeans;
import com.nimbusos.auth.api.keys.HashedKeysFileValidator;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyStore;
import com.nimbusos.auth.api.keys.KeyStoreException;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds the {@link KeyValidator} a deployment uses, first match wins: an explicit instance, the
 * class named by {@code nimbus.auth.validator}, the keys file named by {@code
 * nimbus.auth.keys-file}, the key store named by {@code nimbus.auth.store}, the one CDI bean
 * implementing it (when the application has CDI), exactly one {@link ServiceLoader} provider, then
 * the one CDI bean implementing {@link KeyStore} (validated through a {@link StoreKeyValidator}
 * configured as for {@code nimbus.auth.store}). Finding none is a deployment error, never "allow
 * all".
 */
public final class ValidatorResolver {

  /**
   * No source provided a validator at all (as opposed to a source that is broken): what an adapter
   * given its validator in code, which a start-up check cannot see, may still be fine with.
   */
  public static final class NotFound extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(NimbusAuthConfig.VALIDATOR, message);
    }
  }

  private ValidatorResolver() {}

  /**
   * The validator found, and where it was found (for the start-up log line).
   *
   * @param validator the validator
   * @param source how it was found, e.g. {@code nimbus.auth.keys-file=/etc/keys.properties}
   * @param owned whether the resolver created it, so that its user closes it when done
   */
  public record Resolved(KeyValidator validator, String source, boolean owned) {

    /**
     * Closes the validator if it was created here and holds resources (a store's background
     * thread).
     */
    public void closeIfOwned() {
      if (owned && validator instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          System.getLogger("com.nimbusos.auth")
              .log(System.Logger.Level.WARNING, "closing " + validator + " failed: " + e);
        }
      }
    }
  }

  /**
   * Resolves the validator.
   *
   * @param explicit an instance given in code, or {@code null}
   * @param config the configuration
   * @param loader where to load classes and services from, usually the application's
   * @throws NotFound when no source provides a validator at all
   * @throws ConfigurationException naming the property to set when a source is broken or ambiguous
   */
  public static Resolved resolve(
      KeyValidator explicit, NimbusAuthConfig config, ClassLoader loader) {
    if (explicit != null) {
      return new Resolved(explicit, "instance of " + explicit.getClass().getName(), false);
    }
    if (config.validatorClass().isPresent()) {
      String className = config.validatorClass().get();
      return new Resolved(
          instantiate(className, loader), NimbusAuthConfig.VALIDATOR + "=" + className, true);
    }
    if (config.keysFile().isPresent()) {
      HashedKeysFileValidator keys = HashedKeysFileValidator.load(config.keysFile().get());
      if (config.environment().isPresent()) {
        Set<Environment> others = EnumSet.complementOf(EnumSet.of(config.environment().get()));
        others.retainAll(keys.environments());
        if (!others.isEmpty()) {
          throw new ConfigurationException(
              NimbusAuthConfig.KEYS_FILE,
              config.keysFile().get()
                  + " holds "
                  + others.iterator().next().configName()
                  + " keys, but "
                  + NimbusAuthConfig.ENVIRONMENT
                  + "="
                  + config.environment().get().configName()
                  + ": is this the other environment's file?");
        }
      }
      return new Resolved(keys, NimbusAuthConfig.KEYS_FILE + "=" + config.keysFile().get(), true);
    }
    if (config.store().isPresent()) {
      // Named by its setting, not by the whole configuration, which the start-up line shows once
      // already.
      return new Resolved(storeValidator(config), storeSource(config), true);
    }
    CdiBeans.Lookup<KeyValidator> bean = bean(KeyValidator.class, loader);
    if (bean instanceof CdiBeans.Ambiguous<KeyValidator>) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR,
          "several CDI beans implement KeyValidator; keep one, or name a class in "
              + NimbusAuthConfig.VALIDATOR);
    }
    if (bean instanceof CdiBeans.Found<KeyValidator> found) {
      // The container manages the bean's life: not ours to close.
      return new Resolved(found.bean(), "CDI bean " + beanClass(found.bean()), false);
    }
    List<ServiceLoader.Provider<KeyValidator>> providers;
    try {
      providers = ServiceLoader.load(KeyValidator.class, loader).stream().toList();
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR,
          "a KeyValidator service in META-INF/services/"
              + KeyValidator.class.getName()
              + " is unusable: "
              + e.getMessage(),
          e);
    }
    if (providers.size() > 1) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR,
          "several KeyValidator services found "
              + providers.stream().map(p -> p.type().getName()).toList()
              + "; name the one to use");
    }
    if (providers.size() == 1) {
      KeyValidator validator;
      try {
        validator = providers.get(0).get();
      } catch (ServiceConfigurationError e) {
        throw new ConfigurationException(
            NimbusAuthConfig.VALIDATOR,
            "KeyValidator service "
                + providers.get(0).type().getName()
                + " cannot be created: "
                + e.getMessage(),
            e);
      }
      return new Resolved(validator, "ServiceLoader " + validator.getClass().getName(), true);
    }
    // Last, as the least explicit: a key store the application offers as a bean (for its
    // KeyManager, say).
    CdiBeans.Lookup<KeyStore> storeBean = bean(KeyStore.class, loader);
    if (storeBean instanceof CdiBeans.Ambiguous<KeyStore>) {
      throw new ConfigurationException(
          NimbusAuthConfig.STORE,
          "several CDI beans implement KeyStore; set "
              + NimbusAuthConfig.STORE
              + ", or provide a KeyValidator bean");
    }
    if (storeBean instanceof CdiBeans.Found<KeyStore> found) {
      // The validator (cache, poll thread) is ours to close; the store stays the container's.
      return new Resolved(
          storeValidator(found.bean(), config),
          "key store of CDI bean " + beanClass(found.bean()),
          true);
    }
    throw new NotFound(
        "no KeyValidator found: set "
            + NimbusAuthConfig.VALIDATOR
            + " to a class name, "
            + NimbusAuthConfig.KEYS_FILE
            + " to a hashed keys file or "
            + NimbusAuthConfig.STORE
            + " to a key store, "
            + "or provide one as an @ApplicationScoped CDI bean (a KeyValidator, or a KeyStore to validate against) "
            + "or in META-INF/services/"
            + KeyValidator.class.getName()
            + "; Nimbus Auth never lets requests through without one");
  }

  /**
   * The application's one bean of {@code type}; a bean that exists but cannot be made is its error.
   */
  private static <T> CdiBeans.Lookup<T> bean(Class<T> type, ClassLoader loader) {
    try {
      return CdiBeans.lookup(type, loader);
    } catch (IllegalStateException e) {
      throw new ConfigurationException(NimbusAuthConfig.VALIDATOR, e.getMessage(), e);
    }
  }

  /**
   * The bean's own class, not its client proxy's (Weld: {@code Name$Proxy$_$$_WeldClientProxy}).
   */
  /**
   * {@code nimbus.auth.store=json-file /etc/nimbus/keys.json}, or {@code =jdbc
   * java:comp/DefaultDataSource}.
   */
  private static String storeSource(NimbusAuthConfig config) {
    NimbusAuthConfig.StoreKind kind = config.store().orElseThrow();
    return NimbusAuthConfig.STORE
        + "="
        + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
        + " "
        + (kind == NimbusAuthConfig.StoreKind.JDBC
            ? config.storeDataSource()
            : config.storePath().orElseThrow());
  }

  private static String beanClass(Object bean) {
    return com.nimbusos.auth.api.internal.CdiBeans.className(bean);
  }

  private static StoreKeyValidator storeValidator(NimbusAuthConfig config) {
    KeyStore store;
    try {
      store =
          switch (config.store().orElseThrow()) {
            case JSON_FILE -> JsonFileKeyStore.open(config.storePath().orElseThrow());
            case JDBC -> JdbcKeyStore.fromJndi(config.storeDataSource());
          };
    } catch (KeyStoreException e) {
      String property =
          config.store().get() == NimbusAuthConfig.StoreKind.JDBC
              ? NimbusAuthConfig.STORE_DATASOURCE
              : NimbusAuthConfig.STORE_PATH;
      throw new ConfigurationException(property, e.getMessage(), e);
    }
    return storeValidator(store, config);
  }

  private static StoreKeyValidator storeValidator(KeyStore store, NimbusAuthConfig config) {
    KeyHasher hasher = config.pepper().map(KeyHasher::hmacSha256).orElseGet(KeyHasher::sha256);
    return StoreKeyValidator.over(store)
        .hasher(hasher)
        .environment(config.environment().orElse(null))
        .pollInterval(Duration.ofMillis(config.storePollMillis()))
        .index(config.storeIndex())
        .cacheSize(config.storeCacheKeys())
        .build();
  }

  private static KeyValidator instantiate(String className, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(className, true, loader);
      if (!KeyValidator.class.isAssignableFrom(type)) {
        throw new ConfigurationException(
            NimbusAuthConfig.VALIDATOR,
            className + " does not implement " + KeyValidator.class.getName());
      }
      return (KeyValidator) type.getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR, "class " + className + " not found", e);
    } catch (NoSuchMethodException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR, className + " needs a public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR,
          "constructor of " + className + " failed: " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ConfigurationException(
          NimbusAuthConfig.VALIDATOR, "cannot instantiate " + className + ": " + e, e);
    }
  }
}
