package com.nimbusos.auth.api.audit.trail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a trail's files: {@code <base>.000001.jsonl}, {@code <base>.000002.jsonl}… in the
 * order they are written, which is also their names' order; and {@code <base>.lock}, which one
 * writer holds.
 */
final class TrailFiles {

  private final Path directory;
  private final String prefix;
  private final Pattern name;

  TrailFiles(Path base) {
    Path absolute = base.toAbsolutePath().normalize();
    this.directory = absolute.getParent();
    this.prefix = absolute.getFileName().toString();
    this.name = Pattern.compile(Pattern.quote(prefix) + "\\.([0-9]{6,9})\\.jsonl");
  }

  Path directory() {
    return directory;
  }

  /** The file of number {@code index}. */
  Path file(int index) {
    return directory.resolve(String.format("%s.%06d.jsonl", prefix, index));
  }

  Path lock() {
    return directory.resolve(prefix + ".lock");
  }

  /** How every file of the trail is named, for messages: {@code /var/log/nimbus/audit.*.jsonl}. */
  String pattern() {
    return directory.resolve(prefix + ".*.jsonl").toString();
  }

  /** The numbers of the trail's files, in order; none if the directory does not exist yet. */
  List<Integer> list() throws IOException {
    List<Integer> indexes = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, prefix + ".*.jsonl")) {
      for (Path entry : entries) {
        Matcher matcher = name.matcher(entry.getFileName().toString());
        if (matcher.matches()) {
          indexes.add(Integer.parseInt(matcher.group(1)));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    indexes.sort(null);
    return indexes;
  }
}
