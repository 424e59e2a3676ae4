package com.nimbusos.auth.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.api.config.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderDiscoveryTest {

  private static final String PROPERTY = "nimbus.auth.greeter";

  /** The extension point of these tests. */
  public interface Greeter {}

  /** Named by class. */
  public static final class ByName implements Greeter {}

  /** A CDI bean. */
  @ApplicationScoped
  public static class AsBean implements Greeter {}

  /** A second CDI bean. */
  @ApplicationScoped
  public static class AlsoAsBean implements Greeter {}

  /** A service, which counts how often it is made. */
  public static final class AsService implements Greeter {
    static final AtomicInteger MADE = new AtomicInteger();

    public AsService() {
      MADE.incrementAndGet();
    }
  }

  /** A second service. */
  public static final class AlsoAsService implements Greeter {}

  /** Whose constructor throws, named by class or listed as a service. */
  public static final class Throwing implements Greeter {
    public Throwing() {
      throw new IllegalStateException("no database");
    }
  }

  /** Whose class cannot even be initialised. */
  public static final class BrokenStatics implements Greeter {
    static final int VALUE = Integer.parseInt("not a number");
  }

  /** Produces a greeter bean that cannot be made. */
  @ApplicationScoped
  public static class ThrowingProducer {
    @Produces
    Greeter greeter() {
      throw new IllegalStateException("no database");
    }
  }

  @TempDir Path dir;

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void anExplicitInstanceBeatsAClassNameWhichBeatsTheConfiguredStepWhichBeatsCdi()
      throws IOException {
    ClassLoader withService = loaderWithServices(AsService.class);
    ProviderDiscovery.Found<Greeter> configured =
        new ProviderDiscovery.Found<>(new ByName(), "own setting", true);
    Greeter explicit = new Greeter() {};
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(AsBean.class).initialize()) {
      ProviderDiscovery.Found<Greeter> found =
          discovery(withService)
              .className(Optional.of(ByName.class.getName()))
              .configured(() -> Optional.of(configured))
              .find(explicit)
              .orElseThrow();
      assertSame(explicit, found.provider());
      assertEquals("instance of " + explicit.getClass().getName(), found.source());
      assertFalse(found.owned(), "an instance given in code is its owner's to close");

      found =
          discovery(withService)
              .className(Optional.of(ByName.class.getName()))
              .configured(() -> Optional.of(configured))
              .find(null)
              .orElseThrow();
      assertInstanceOf(ByName.class, found.provider());
      assertEquals(PROPERTY + "=" + ByName.class.getName(), found.source());
      assertTrue(found.owned(), "made here, so closed here");

      found =
          discovery(withService).configured(() -> Optional.of(configured)).find(null).orElseThrow();
      assertSame(configured, found);
    }
  }

  @Test
  void aCdiBeanBeatsAServiceWhichComesLast() throws IOException {
    ClassLoader withService = loaderWithServices(AsService.class);
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(AsBean.class).initialize()) {
      ProviderDiscovery.Found<Greeter> found = discovery(withService).find(null).orElseThrow();
      assertInstanceOf(AsBean.class, found.provider());
      // The bean's class, not its client proxy's.
      assertEquals("CDI bean " + AsBean.class.getName(), found.source());
      assertFalse(found.owned(), "the container manages its beans");
    }
    ProviderDiscovery.Found<Greeter> found = discovery(withService).find(null).orElseThrow();
    assertInstanceOf(AsService.class, found.provider());
    assertEquals("ServiceLoader " + AsService.class.getName(), found.source());
    assertTrue(found.owned());
  }

  @Test
  void findsNothingWhereNoStepFindsAnything() throws IOException {
    assertEquals(Optional.empty(), discovery(loader).find(null));
    assertEquals(
        Optional.empty(),
        discovery(loaderWithServices(AsService.class)).withoutServices().find(null),
        "an extension point without services does not look for them");
  }

  @Test
  void refusesToPickOneOfTwoServices() throws IOException {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> discovery(loaderWithServices(AsService.class, AlsoAsService.class)).find(null));
    assertEquals(PROPERTY, e.property());
    assertTrue(
        e.getMessage().contains("several Greeter services found [" + AsService.class.getName()),
        e.getMessage());
  }

  @Test
  void refusesToPickOneOfTwoBeansWithTheCallersAdvice() {
    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(AsBean.class, AlsoAsBean.class).initialize()) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () -> discovery(loader).ambiguousBeans("keep one").find(null));
      assertEquals(PROPERTY + ": several CDI beans implement Greeter; keep one", e.getMessage());
    }
  }

  @Test
  void aProviderThatThrowsFailsClosedNamingTheSetting() throws IOException {
    ConfigurationException service =
        assertThrows(
            ConfigurationException.class,
            () -> discovery(loaderWithServices(Throwing.class)).find(null));
    assertEquals(PROPERTY, service.property());
    assertTrue(
        service.getMessage().contains("Greeter service " + Throwing.class.getName()),
        service.getMessage());

    ConfigurationException named =
        assertThrows(
            ConfigurationException.class,
            () -> discovery(loader).className(Optional.of(Throwing.class.getName())).find(null));
    assertEquals(PROPERTY, named.property());
    assertTrue(named.getMessage().contains("no database"), named.getMessage());

    ConfigurationException statics =
        assertThrows(
            ConfigurationException.class,
            () ->
                discovery(loader).className(Optional.of(BrokenStatics.class.getName())).find(null));
    assertTrue(
        statics.getMessage().contains("cannot create " + BrokenStatics.class.getName()),
        statics.getMessage());

    try (WeldContainer container =
        new Weld().disableDiscovery().addBeanClasses(ThrowingProducer.class).initialize()) {
      ConfigurationException bean =
          assertThrows(ConfigurationException.class, () -> discovery(loader).find(null));
      assertEquals(PROPERTY, bean.property());
      assertTrue(bean.getMessage().contains("could not be created"), bean.getMessage());
    }
  }

  @Test
  void explainsAClassNameThatCannotBeUsed() {
    assertClassRejected("com.example.Missing", "class com.example.Missing not found");
    assertClassRejected(String.class.getName(), "does not implement " + Greeter.class.getName());
  }

  @Test
  void theCallersCheckRefusesAServiceBeforeItIsMade() throws IOException {
    int before = AsService.MADE.get();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                discovery(loaderWithServices(AsService.class))
                    .checkBeforeUse(
                        found -> {
                          throw new ConfigurationException(PROPERTY, found + " is refused");
                        })
                    .find(null));
    assertEquals(
        PROPERTY + ": a service (" + AsService.class.getName() + ") is refused", e.getMessage());
    assertEquals(before, AsService.MADE.get(), "refused before it was made");
  }

  private void assertClassRejected(String className, String expected) {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> discovery(loader).className(Optional.of(className)).find(null));
    assertEquals(PROPERTY, e.property());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static ProviderDiscovery<Greeter> discovery(ClassLoader loader) {
    return ProviderDiscovery.of(Greeter.class, PROPERTY, loader);
  }

  private ClassLoader loaderWithServices(Class<?>... services) throws IOException {
    Path root = Files.createTempDirectory(dir, "services");
    Path listing = Files.createDirectories(root.resolve("META-INF/services"));
    StringBuilder names = new StringBuilder();
    for (Class<?> service : services) {
      names.append(service.getName()).append('\n');
    }
    Files.writeString(listing.resolve(Greeter.class.getName()), names);
    return new URLClassLoader(new URL[] {root.toUri().toURL()}, loader);
  }
}
