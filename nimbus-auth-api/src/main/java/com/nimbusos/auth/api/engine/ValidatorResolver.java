package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.internal.ProviderDiscovery;
import com.nimbusos.auth.api.keys.HashedKeysFileValidator;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyStore;
import com.nimbusos.auth.api.keys.KeyStoreException;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
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
    Optional<ProviderDiscovery.Found<KeyValidator>> found =
        ProviderDiscovery.of(KeyValidator.class, NimbusAuthConfig.VALIDATOR, loader)
            .className(config.validatorClass())
            .configured(() -> configured(config))
            .ambiguousBeans("keep one, or name a class in " + NimbusAuthConfig.VALIDATOR)
            .find(explicit);
    if (found.isPresent()) {
      return new Resolved(found.get().provider(), found.get().source(), found.get().owned());
    }
    // Last, as the least explicit: a key store the application offers as a bean (for its
    // KeyManager, say). Key stores are not looked for as services.
    Optional<ProviderDiscovery.Found<KeyStore>> storeBean =
        ProviderDiscovery.of(KeyStore.class, NimbusAuthConfig.STORE, loader)
            .ambiguousBeans("set " + NimbusAuthConfig.STORE + ", or provide a KeyValidator bean")
            .withoutServices()
            .find(null);
    if (storeBean.isPresent()) {
      // The validator (cache, poll thread) is ours to close; the store stays the container's.
      return new Resolved(
          storeValidator(storeBean.get().provider(), config),
          "key store of " + storeBean.get().source(),
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

  /** The keys file or key store the configuration names, or empty when it names neither. */
  private static Optional<ProviderDiscovery.Found<KeyValidator>> configured(
      NimbusAuthConfig config) {
    if (config.keysFile().isPresent()) {
      return Optional.of(
          new ProviderDiscovery.Found<>(
              keysFile(config), NimbusAuthConfig.KEYS_FILE + "=" + config.keysFile().get(), true));
    }
    if (config.store().isPresent()) {
      // Named by its setting, not by the whole configuration, which the start-up line shows once
      // already.
      return Optional.of(
          new ProviderDiscovery.Found<>(storeValidator(config), storeSource(config), true));
    }
    return Optional.empty();
  }

  /** The keys file, refused when it holds another environment's keys. */
  private static HashedKeysFileValidator keysFile(NimbusAuthConfig config) {
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
    return keys;
  }

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
}
