package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class DaemonsTest {

  @Test
  void runsTasksOnOneNamedDaemonThreadThatKeepsNoJvmAlive() throws Exception {
    ScheduledExecutorService executor = Daemons.singleThread("nimbus-auth-test-daemon");
    try {
      Thread first = executor.submit(Thread::currentThread).get();
      Thread second = executor.submit(Thread::currentThread).get();
      assertEquals("nimbus-auth-test-daemon", first.getName());
      assertTrue(first.isDaemon());
      assertEquals(first, second, "one thread");
    } finally {
      executor.shutdownNow();
    }
  }
}
