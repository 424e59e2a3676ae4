package com.nimbusos.auth.api.audit.trail;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process that records events into a file trail from several threads, for ever, and prints each
 * event's request id once {@code record} has returned for it: what a client that got its response
 * would know. The test kills it with {@code SIGKILL} and looks for every printed id in the trail.
 */
public final class TrailChild {

  private TrailChild() {}

  /** {@code TrailChild <base> <threads> <none|batch>}. */
  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    FileAuditSink sink =
        FileAuditSink.builder(base, Trails.KEY)
            .rotateBytes(256 * 1024)
            .fsync(FileAuditSink.Fsync.valueOf(args[2].toUpperCase(java.util.Locale.ROOT)))
            .build();
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    AtomicLong next = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      Thread writer =
          new Thread(
              () -> {
                while (true) {
                  String id = "req_" + next.incrementAndGet();
                  sink.record(Trails.event(id));
                  synchronized (out) {
                    out.println(id);
                    out.flush();
                  }
                }
              });
      writer.start();
    }
    System.err.println("started");
    Thread.sleep(Long.MAX_VALUE);
  }
}
