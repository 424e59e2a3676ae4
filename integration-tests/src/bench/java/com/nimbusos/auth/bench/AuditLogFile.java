package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.audit.LoggingAuditSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends the logging audit sink's lines ({@link LoggingAuditSink}: java.util.logging through {@code
 * System.Logger}) to a file, as a server's file handler would, instead of the console: a JUL {@link
 * FileHandler} with its default behaviour (format, write and flush every record), rotating over two
 * files of 20 MB so a long run cannot fill the disk.
 */
public final class AuditLogFile {

  private static Logger audit; // strong reference: JUL keeps loggers weakly

  private AuditLogFile() {}

  /** Installs the handler once per JVM; returns the directory of the log files. */
  public static synchronized Path install() {
    if (audit != null) {
      return directory();
    }
    try {
      Path directory = Files.createDirectories(directory());
      FileHandler handler =
          new FileHandler(directory.resolve("audit%g.log").toString(), 20_000_000, 2, false);
      handler.setFormatter(new SimpleFormatter());
      handler.setLevel(Level.INFO);
      Logger logger = Logger.getLogger(LoggingAuditSink.LOGGER);
      logger.setUseParentHandlers(false);
      logger.addHandler(handler);
      logger.setLevel(Level.INFO);
      audit = logger;
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path directory() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "nimbus-bench-audit-" + ProcessHandle.current().pid());
  }
}
