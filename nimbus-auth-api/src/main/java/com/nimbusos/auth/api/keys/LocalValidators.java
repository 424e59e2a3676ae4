package com.nimbusos.auth.api.keys;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The open {@link StoreKeyValidator}s of this JVM, so that {@link KeyManager#awaitInForceHere} can
 * wait until a change is in force in every one that reads the same storage. Held weakly: a
 * forgotten validator is not kept alive by being listed here.
 */
final class LocalValidators {

  private static final Set<StoreKeyValidator> OPEN =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private LocalValidators() {}

  static void opened(StoreKeyValidator validator) {
    OPEN.add(validator);
  }

  static void closed(StoreKeyValidator validator) {
    OPEN.remove(validator);
  }

  /**
   * Waits until every open validator over the storage of {@code store} holds nothing older than
   * what the store held at {@code committedNanos}.
   *
   * @return whether they all do; false if {@code timeout} passed first
   */
  static boolean awaitInForce(KeyStore store, long committedNanos, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      StoreKeyValidator[] open;
      synchronized (OPEN) {
        open = OPEN.toArray(new StoreKeyValidator[0]);
      }
      boolean inForce = true;
      for (StoreKeyValidator validator : open) {
        inForce &=
            validator == null
                || !sameStorage(validator.store(), store)
                || validator.freshSince(committedNanos);
      }
      if (inForce) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(1);
    }
  }

  /** Whether two stores are views of one storage: the same object, file, or database. */
  static boolean sameStorage(KeyStore a, KeyStore b) {
    if (a == b) {
      return true;
    }
    if (a instanceof JsonFileKeyStore x && b instanceof JsonFileKeyStore y) {
      return x.file().equals(y.file());
    }
    return a instanceof JdbcKeyStore x && b instanceof JdbcKeyStore y && x.sharesDatabaseWith(y);
  }
}
