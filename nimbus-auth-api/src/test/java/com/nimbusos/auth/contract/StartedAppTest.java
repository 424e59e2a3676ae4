package com.nimbusos.auth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * {@link StartedApp} starts its app before a class's tests, and closes it once after them (its
 * callbacks called as JUnit calls them; they do not read the context).
 */
class StartedAppTest {

  /** An app that only remembers whether it was closed. */
  static final class Fake implements AppUnderTest {
    int closes;

    @Override
    public URI baseUri() {
      return URI.create("http://127.0.0.1:1/");
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void startsTheAppBeforeTheClassAndClosesItOnceAfter() throws Exception {
    Fake fake = new Fake();
    StartedApp<Fake> extension = StartedApp.of(() -> fake);
    assertThrows(IllegalStateException.class, extension::app, "nothing runs before the class");

    extension.beforeAll(null);
    assertSame(fake, extension.app());
    assertEquals(URI.create("http://127.0.0.1:1/"), extension.baseUri());
    assertEquals(0, fake.closes);

    extension.afterAll(null);
    extension.afterAll(null);
    assertEquals(1, fake.closes);
    assertThrows(IllegalStateException.class, extension::app, "nothing runs after the class");
  }

  @Test
  void aFailedStartFailsTheClassWithItsCauseAndLeavesNothingToClose() throws Exception {
    IOException cause = new IOException("port taken");
    StartedApp<Fake> extension =
        StartedApp.of(
            () -> {
              throw cause;
            });
    assertSame(cause, assertThrows(IOException.class, () -> extension.beforeAll(null)));
    extension.afterAll(null);
    assertFalse(isRunning(extension));
  }

  private static boolean isRunning(StartedApp<?> extension) {
    try {
      extension.app();
      return true;
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("@RegisterExtension"), e::getMessage);
      return false;
    }
  }
}
