package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A container's pooled threads outlive the web applications they serve: whatever the module leaves
 * in their thread-locals must not pin an undeployed application's class loader. Here the module's
 * classes are loaded by a loader of their own, as from a WAR's {@code WEB-INF/lib}, used on a
 * thread that outlives it, and then dropped: the loader must be collected.
 */
class RedeployLeakTest {

  @Test
  void aThreadThatServedRequestsDoesNotPinTheApplicationsClassLoader() throws Exception {
    ExecutorService pool =
        Executors.newSingleThreadExecutor(); // the container's thread, not the application's
    try {
      WeakReference<ClassLoader> undeployed = deployServeAndUndeploy(pool);
      for (int i = 0; i < 50 && undeployed.get() != null; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertNull(
          undeployed.get(),
          "the pooled thread still pins the undeployed application's class loader");
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }
  }

  /**
   * Loads the module's classes apart, makes request ids and key digests on the pooled thread, lets
   * go.
   */
  private static WeakReference<ClassLoader> deployServeAndUndeploy(ExecutorService pool)
      throws Exception {
    URL classes = RequestIds.class.getProtectionDomain().getCodeSource().getLocation();
    URLClassLoader application =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    Class<?> ids = Class.forName(RequestIds.class.getName(), true, application);
    Class<?> keys = Class.forName("com.nimbusos.auth.api.PresentedKey", true, application);
    assertTrue(
        ids.getClassLoader() == application,
        "the module's classes come from the application's loader");
    pool.submit(
            () -> {
              for (int i = 0; i < 100; i++) {
                ids.getMethod("next").invoke(null);
                Object key =
                    keys.getMethod("of", String.class)
                        .invoke(null, "sk_test_leak0000000000000000000000");
                keys.getMethod("sha256").invoke(key);
              }
              return null;
            })
        .get(10, TimeUnit.SECONDS);
    application.close();
    return new WeakReference<>(application);
  }
}
