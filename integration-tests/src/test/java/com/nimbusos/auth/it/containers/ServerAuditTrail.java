package com.nimbusos.auth.it.containers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The default audit trail a container's application writes ({@code nimbus-audit/<name>.*.jsonl} in
 * the server's log directory, {@code it.audit.dir}), read from outside the server while it runs: a
 * file still being written is mapped whole, so its text ends at the first NUL byte.
 */
final class ServerAuditTrail {

  private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([^\"]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\":(\\d+)");
  private static final Pattern METHOD = Pattern.compile("\"method\":\"([^\"]+)\"");

  /** One request's records: its decision's event lines and its completion lines. */
  record Records(List<String> events, List<String> completions) {

    /** The status the completion recorded, -1 without exactly one completion. */
    int finalStatus() {
      return completions.size() == 1 ? number(STATUS, completions.get(0)) : -1;
    }

    /** The method the event recorded, or {@code null} without exactly one event. */
    String method() {
      if (events.size() != 1) {
        return null;
      }
      Matcher matcher = METHOD.matcher(events.get(0));
      return matcher.find() ? matcher.group(1) : null;
    }
  }

  private final Path directory;
  private final String name;

  ServerAuditTrail(Path directory, String name) {
    this.directory = directory;
    this.name = name;
  }

  /**
   * The trail of the application at {@code contextPath}, in the directory the failsafe execution
   * names.
   */
  static ServerAuditTrail of(String contextPath) {
    String trimmed = contextPath.replaceAll("^/+|/+$", "");
    return new ServerAuditTrail(
        Path.of(TestTls.requiredProperty("it.audit.dir")), trimmed.isEmpty() ? "ROOT" : trimmed);
  }

  /** The trail's files, oldest first. */
  List<Path> files() {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(
              f -> f.getFileName().toString().matches(Pattern.quote(name) + "\\.\\d{6}\\.jsonl"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /** Every record of the trail, by request id. */
  Map<String, Records> byRequestId() {
    Map<String, Records> records = new HashMap<>();
    List<Path> files = files();
    assertTrue(!files.isEmpty(), "no audit trail " + name + ".*.jsonl in " + directory);
    for (Path file : files) {
      for (String line : text(file).split("\n")) {
        if (!line.startsWith("{\"seq\":")) {
          continue; // checkpoints
        }
        Matcher id = REQUEST_ID.matcher(line);
        if (!id.find()) {
          continue;
        }
        Records of =
            records.computeIfAbsent(
                id.group(1), any -> new Records(new ArrayList<>(), new ArrayList<>()));
        (line.contains("\"completed\":true") ? of.completions() : of.events()).add(line);
      }
    }
    return records;
  }

  private static String text(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      int end = 0;
      while (end < bytes.length && bytes[end] != 0) {
        end++;
      }
      return new String(bytes, 0, end, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int number(Pattern pattern, String line) {
    Matcher matcher = pattern.matcher(line);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
  }
}
