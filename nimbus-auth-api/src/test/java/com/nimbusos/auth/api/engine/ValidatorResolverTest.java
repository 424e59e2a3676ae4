package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.keys.HashedKeysFileValidator;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorResolverTest {

  /** A validator for the tests below, found by class name or as a service. */
  public static final class RefuseAll implements KeyValidator {
    @Override
    public ValidationResult validate(com.nimbusos.auth.api.PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
  }

  /** A second validator. */
  public static final class AlsoRefuseAll implements KeyValidator {
    @Override
    public ValidationResult validate(com.nimbusos.auth.api.PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
  }

  /** A class that is not a validator. */
  public static final class NotAValidator {}

  @TempDir Path dir;

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void prefersAnExplicitInstance() {
    KeyValidator explicit = key -> ValidationResult.invalid(InvalidReason.UNKNOWN);
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .validatorClass(RefuseAll.class.getName())
            .build();
    assertSame(explicit, ValidatorResolver.resolve(explicit, config, loader).validator());
  }

  @Test
  void instantiatesTheConfiguredClass() {
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .validatorClass(RefuseAll.class.getName())
            .build();
    ValidatorResolver.Resolved resolved = ValidatorResolver.resolve(null, config, loader);
    assertInstanceOf(RefuseAll.class, resolved.validator());
    assertEquals("nimbus.auth.validator=" + RefuseAll.class.getName(), resolved.source());
  }

  @Test
  void loadsTheConfiguredKeysFile() throws IOException {
    Path file = Files.writeString(dir.resolve("keys.properties"), "");
    NimbusAuthConfig config = NimbusAuthConfig.builder().anyEnvironment().keysFile(file).build();
    assertInstanceOf(
        HashedKeysFileValidator.class, ValidatorResolver.resolve(null, config, loader).validator());
  }

  @Test
  void readsAJsonFileStoreThroughACachedValidator() throws Exception {
    NimbusAuthConfig config =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .store(NimbusAuthConfig.StoreKind.JSON_FILE)
            .storePath(dir.resolve("keys.json"))
            .build();
    ValidatorResolver.Resolved resolved = ValidatorResolver.resolve(null, config, loader);
    try {
      assertInstanceOf(com.nimbusos.auth.api.keys.StoreKeyValidator.class, resolved.validator());
      assertTrue(resolved.owned());
      // The start-up line shows the configuration once: the validator's source names the store, not
      // all of it.
      assertEquals("nimbus.auth.store=json-file " + dir.resolve("keys.json"), resolved.source());
    } finally {
      resolved.closeIfOwned();
    }
  }

  @Test
  void indexesEveryKeyOfTheStoreWhenConfiguredTo() throws Exception {
    for (boolean index : new boolean[] {false, true}) {
      NimbusAuthConfig config =
          NimbusAuthConfig.builder()
              .anyEnvironment()
              .store(NimbusAuthConfig.StoreKind.JSON_FILE)
              .storePath(dir.resolve("keys.json"))
              .storeIndex(index)
              .build();
      ValidatorResolver.Resolved resolved = ValidatorResolver.resolve(null, config, loader);
      try {
        assertEquals(
            index,
            resolved.validator().toString().contains("all keys indexed"),
            resolved.validator().toString());
      } finally {
        resolved.closeIfOwned();
      }
    }
  }

  @Test
  void namesTheStorePropertyWhenTheStoreCannotBeOpened() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{");
    NimbusAuthConfig json =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .store(NimbusAuthConfig.StoreKind.JSON_FILE)
            .storePath(broken)
            .build();
    assertEquals(
        "nimbus.auth.store.path",
        assertThrows(
                ConfigurationException.class, () -> ValidatorResolver.resolve(null, json, loader))
            .property());
    NimbusAuthConfig jdbc =
        NimbusAuthConfig.builder()
            .anyEnvironment()
            .store(NimbusAuthConfig.StoreKind.JDBC)
            .storeDataSource("java:comp/env/jdbc/none")
            .build();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> ValidatorResolver.resolve(null, jdbc, loader));
    assertEquals("nimbus.auth.store.datasource", e.property());
    assertTrue(e.getMessage().contains("java:comp/env/jdbc/none"), e.getMessage());
  }

  @Test
  void findsASingleServiceLoaderProvider() throws IOException {
    ValidatorResolver.Resolved resolved =
        ValidatorResolver.resolve(
            null,
            NimbusAuthConfig.builder().anyEnvironment().build(),
            loaderWithServices(RefuseAll.class.getName()));
    assertInstanceOf(RefuseAll.class, resolved.validator());
  }

  @Test
  void refusesToGuessBetweenSeveralProviders() throws IOException {
    ClassLoader two = loaderWithServices(RefuseAll.class.getName(), AlsoRefuseAll.class.getName());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ValidatorResolver.resolve(
                    null, NimbusAuthConfig.builder().anyEnvironment().build(), two));
    assertTrue(e.getMessage().contains("several KeyValidator services"), e.getMessage());
  }

  @Test
  void explainsAServiceThatCannotBeCreated() throws IOException {
    ClassLoader broken = loaderWithServices(ContractLikeValidator.class.getName());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ValidatorResolver.resolve(
                    null, NimbusAuthConfig.builder().anyEnvironment().build(), broken));
    assertEquals("nimbus.auth.validator", e.property());
    assertTrue(e.getMessage().contains(ContractLikeValidator.class.getName()), e.getMessage());
  }

  @Test
  void failsWhenNoValidatorIsFoundInsteadOfAllowingAll() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ValidatorResolver.resolve(
                    null, NimbusAuthConfig.builder().anyEnvironment().build(), loader));
    assertEquals("nimbus.auth.validator", e.property());
    assertTrue(e.getMessage().contains("no KeyValidator found"), e.getMessage());
  }

  @Test
  void explainsAConfiguredClassThatCannotBeUsed() {
    assertClassRejected("com.example.Missing", "not found");
    assertClassRejected(NotAValidator.class.getName(), "does not implement");
    assertClassRejected(ContractLikeValidator.class.getName(), "public no-argument constructor");
  }

  /** Has no no-argument constructor. */
  public static final class ContractLikeValidator implements KeyValidator {
    public ContractLikeValidator(String unused) {}

    @Override
    public ValidationResult validate(com.nimbusos.auth.api.PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }
  }

  private void assertClassRejected(String className, String expected) {
    NimbusAuthConfig config =
        NimbusAuthConfig.builder().anyEnvironment().validatorClass(className).build();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> ValidatorResolver.resolve(null, config, loader));
    assertEquals("nimbus.auth.validator", e.property());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private ClassLoader loaderWithServices(String... classNames) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(
        services.resolve(KeyValidator.class.getName()), String.join("\n", classNames) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, loader);
  }

  /** A validator holding something to release, which counts its closings. */
  private static final class Closeable implements KeyValidator, AutoCloseable {
    int closed;

    @Override
    public ValidationResult validate(com.nimbusos.auth.api.PresentedKey key) {
      return ValidationResult.invalid(InvalidReason.UNKNOWN);
    }

    @Override
    public void close() {
      closed++;
    }
  }

  @Test
  void closesOnlyTheValidatorItCreatedNeverTheApplicationsOwn() {
    Closeable created = new Closeable();
    new ValidatorResolver.Resolved(created, "nimbus.auth.store=json-file", true).closeIfOwned();
    assertEquals(1, created.closed);
    Closeable applications = new Closeable();
    new ValidatorResolver.Resolved(applications, "instance", false).closeIfOwned();
    assertEquals(0, applications.closed, "the application closes what it made");
  }
}
