package com.nimbusos.auth.api.keys;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Lets every store instance of one application that names the same storage (a JNDI name, a file)
 * hear of changes made through any of them, at once: a {@link KeyManager} built by application code
 * and the validator built from configuration then agree on the very next request, without waiting
 * for a poll. Instances are held weakly, so forgotten stores are not kept alive.
 */
final class LocalChanges<S> {

  private final Map<String, Set<S>> byStorage = new ConcurrentHashMap<>();

  /** Registers {@code store} as a view of {@code storage}. */
  void join(String storage, S store) {
    Set<S> stores =
        byStorage.computeIfAbsent(
            storage,
            k -> Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>())));
    stores.add(store);
  }

  /** Tells every live view of {@code storage}. */
  void publish(String storage, Consumer<S> tell) {
    Set<S> stores = byStorage.get(storage);
    if (stores == null) {
      return;
    }
    S[] snapshot;
    synchronized (stores) {
      @SuppressWarnings("unchecked")
      S[] copy = (S[]) stores.toArray();
      snapshot = copy;
    }
    for (S store : snapshot) {
      if (store != null) {
        tell.accept(store);
      }
    }
  }
}
