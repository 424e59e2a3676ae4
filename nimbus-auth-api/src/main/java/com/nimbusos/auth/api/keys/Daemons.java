package com.nimbusos.auth.api.keys;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The validator's background threads: daemons, so that none keeps a JVM from exiting. */
final class Daemons {

  private Daemons() {}

  /** A scheduler with one daemon thread of this name. */
  static ScheduledExecutorService singleThread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
