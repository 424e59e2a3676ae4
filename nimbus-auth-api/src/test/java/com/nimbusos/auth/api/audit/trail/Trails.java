package com.nimbusos.auth.api.audit.trail;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusos.auth.api.audit.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the trail tests share: the audit key, events, and the files a trail is made of. */
final class Trails {

  static final String KEY_TEXT = "an-audit-key-of-at-least-32-bytes-0123456789";
  static final byte[] KEY = KEY_TEXT.getBytes(UTF_8);
  static final TrailVerifier VERIFIER = TrailVerifier.withKey(KEY);

  private Trails() {}

  /** An event with request id {@code id}. */
  static AuditEvent event(String id) {
    return new AuditEvent(
        Instant.parse("2026-12-02T10:00:00Z"),
        id,
        "key_0123456789abcdef",
        null,
        "acme",
        "production",
        "allowed",
        "AUTHENTICATED",
        "GET",
        "/orders/42",
        0,
        "192.0.2.10",
        false,
        null);
  }

  /** The trail's files at {@code base}, in order. */
  static List<Path> files(Path base) {
    try (Stream<Path> entries = Files.list(base.getParent())) {
      return entries
          .filter(
              p ->
                  p.getFileName()
                      .toString()
                      .matches(
                          java.util.regex.Pattern.quote(base.getFileName().toString())
                              + "\\.[0-9]{6}\\.jsonl"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of the trail's files, in order. */
  static List<String> lines(Path base) {
    List<String> lines = new ArrayList<>();
    for (Path file : files(base)) {
      try {
        lines.addAll(Files.readAllLines(file, UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }

  /** The request ids of the trail's event records. */
  static List<String> requestIds(Path base) {
    return lines(base).stream()
        .filter(l -> l.startsWith("{\"seq\""))
        .map(l -> l.replaceFirst(".*\"requestId\":\"([^\"]+)\".*", "$1"))
        .toList();
  }

  static TrailVerifier.Verification verify(Path base) {
    try {
      return VERIFIER.verifyFiles(files(base));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
