package com.nimbusos.auth.contract;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures everything a test class logs, through java.util.logging (where {@code System.Logger},
 * Jersey and our own code go) at every level and through standard output and error, then fails the
 * class if any fixture key, or the full hash of one, appears in it; audit lines included. Only the
 * test's own HTTP client, which logs the requests it sends, is left out.
 */
public final class LogCapture implements BeforeAllCallback, AfterAllCallback {

  private static final Formatter FORMAT = new SimpleFormatter();

  private final List<String> lines = new ArrayList<>();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (isTestClient(record.getLoggerName()) || isTestClient(record.getSourceClassName())) {
            return;
          }
          synchronized (lines) {
            lines.add(FORMAT.format(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level rootLevel;
  private PrintStream out;
  private PrintStream err;

  @Override
  public void beforeAll(ExtensionContext context) {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    out = System.out;
    err = System.err;
    System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Logger root = Logger.getLogger("");
    root.removeHandler(handler);
    root.setLevel(rootLevel);
    System.setOut(out);
    System.setErr(err);
    String everything = text();
    for (String key : TestKeys.ALL) {
      String hash = TestKeys.sha256Hex(key);
      if (everything.contains(hash)) {
        throw new AssertionError(
            "the full hash of a presented key appeared in the log output of "
                + context.getDisplayName());
      }
      if (everything.contains(key)) {
        int at = everything.indexOf(key);
        String around = everything.substring(Math.max(0, at - 300), at).replace(key, "<KEY>");
        throw new AssertionError(
            "a presented key appeared in the log output of "
                + context.getDisplayName()
                + " after: "
                + around);
      }
    }
    if (!everything.contains("could not decide")) {
      throw new AssertionError(
          "the capture saw none of the validator failures it should have: is it capturing?");
    }
    if (!everything.contains("\"outcome\":\"denied\"")) {
      throw new AssertionError("the capture saw no audit line: is the audit trail logging?");
    }
  }

  /**
   * The test's own HTTP client logs the requests it sends, keys and all: that is not the server's
   * log.
   */
  private static boolean isTestClient(String name) {
    return name != null
        && (name.startsWith("jdk.internal.net.http")
            || name.startsWith("jdk.internal.httpclient")
            || name.startsWith("jdk.httpclient"));
  }

  /** Everything captured so far. */
  public String text() {
    synchronized (lines) {
      return String.join("", lines) + console.toString(StandardCharsets.UTF_8);
    }
  }

  private OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        synchronized (lines) {
          console.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        synchronized (lines) {
          console.write(b, off, len);
        }
      }
    };
  }
}
