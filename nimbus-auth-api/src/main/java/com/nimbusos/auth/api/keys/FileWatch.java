package com.nimbusos.auth.api.keys;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Tells a {@link JsonFileKeyStore} as soon as its file is replaced or written, by another process
 * (the admin CLI) as much as by this one, so that a revocation applies in milliseconds rather than
 * at the next poll. Where the file system gives no notification, there is no watch and the poll
 * alone finds changes.
 */
final class FileWatch {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  private final WatchService service;
  private final Thread thread;

  private FileWatch(WatchService service, Path file, Runnable onChange) {
    this.service = service;
    Path name = file.getFileName();
    this.thread = new Thread(() -> run(name, onChange), "nimbus-auth-key-watch");
    thread.setDaemon(true);
  }

  /**
   * Watches {@code file}, running {@code onChange} on the watch thread after each event that may
   * have changed it (and after lost events).
   *
   * @return the watch, or {@code null} where the file system cannot notify: then the poll is all
   *     there is
   */
  static FileWatch start(Path file, Runnable onChange) {
    WatchService service = null;
    try {
      service = file.getFileSystem().newWatchService();
      // The JDK's fallback where the OS has no notification API (macOS) scans every 10 s: slower
      // than our poll.
      if (service.getClass().getName().endsWith("PollingWatchService")) {
        service.close();
        LOG.log(
            Level.INFO,
            "Nimbus Auth key store "
                + file
                + ": the file system gives no change notifications;"
                + " changes made by other processes are seen at the poll");
        return null;
      }
      // Writers replace the file by moving another over it: only its directory sees that.
      file.getParent().register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      FileWatch watch = new FileWatch(service, file, onChange);
      watch.thread.start();
      LOG.log(
          Level.INFO,
          "Nimbus Auth key store "
              + file
              + ": watching for changes; the poll stays as a safety net");
      return watch;
    } catch (IOException | UnsupportedOperationException e) {
      closeQuietly(service);
      LOG.log(
          Level.WARNING,
          "Nimbus Auth key store "
              + file
              + " cannot be watched ("
              + e.getMessage()
              + "); changes made by other processes are seen at the poll");
      return null;
    }
  }

  /** Stops watching; the thread ends at once. */
  void stop() {
    closeQuietly(service);
  }

  private void run(Path name, Runnable onChange) {
    while (true) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      boolean ours = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        ours |= event.kind() == OVERFLOW || name.equals(event.context());
      }
      boolean valid = key.reset();
      if (ours || !valid) {
        try {
          onChange.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Nimbus Auth key store change listener failed: " + e);
        }
      }
      if (!valid) {
        // The directory is gone; the poll reports the missing file, and requests fail closed.
        closeQuietly(service);
        return;
      }
    }
  }

  private static void closeQuietly(WatchService service) {
    if (service != null) {
      try {
        service.close();
      } catch (IOException ignored) {
        // closing is best effort: the thread ends either way
      }
    }
  }
}
