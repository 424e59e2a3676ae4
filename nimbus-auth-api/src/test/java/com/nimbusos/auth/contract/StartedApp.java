package com.nimbusos.auth.contract;

import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an {@link AppUnderTest} before a test class's first test and closes it after its last, so
 * that a class running the contract against an adapter says only how to start the adapter:
 *
 * <pre>{@code
 * @RegisterExtension static final StartedApp<JettyApp> APP = StartedApp.of(() -> JettyApp.start(...));
 *
 * @Override protected URI baseUri() { return APP.baseUri(); }
 * }</pre>
 *
 * Registered on a static field, it runs after the class's {@code @ExtendWith} extensions start and
 * before they finish: {@link LogCapture} sees the app's whole life, its start and stop included.
 */
public final class StartedApp<A extends AppUnderTest>
    implements BeforeAllCallback, AfterAllCallback {

  /** Starts the app; may throw whatever the start throws. */
  @FunctionalInterface
  public interface Starter<A> {
    /** The started app. */
    A start() throws Exception;
  }

  private final Starter<A> starter;
  private volatile A app;

  private StartedApp(Starter<A> starter) {
    this.starter = starter;
  }

  /** An extension that starts the app with {@code starter}. */
  public static <A extends AppUnderTest> StartedApp<A> of(Starter<A> starter) {
    return new StartedApp<>(starter);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    app = starter.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    A started = app;
    app = null;
    if (started != null) {
      started.close();
    }
  }

  /** The running app. */
  public A app() {
    A started = app;
    if (started == null) {
      throw new IllegalStateException(
          "no app running: register the extension on a static field with @RegisterExtension");
    }
    return started;
  }

  /** Where the running app listens. */
  public URI baseUri() {
    return app().baseUri();
  }
}
