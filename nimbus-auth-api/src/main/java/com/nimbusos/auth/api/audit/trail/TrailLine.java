package com.nimbusos.auth.api.audit.trail;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusos.auth.api.internal.Json;
import java.util.List;
import java.util.Map;

/**
 * One line of a trail, read back: its bytes (newline excluded), its fields, and whether its hex
 * fields were written (sealed) or still hold placeholders.
 *
 * @param bytes the line, newline excluded
 * @param fields its JSON fields, {@code chain} and {@code mac} excluded
 */
record TrailLine(byte[] bytes, Map<String, Object> fields) {

  /**
   * Reads a line.
   *
   * @throws IllegalArgumentException saying what makes it no trail record
   */
  static TrailLine parse(byte[] source, int offset, int length) {
    byte[] bytes = java.util.Arrays.copyOfRange(source, offset, offset + length);
    for (int i = 0; i < length; i++) {
      if (bytes[i] == 0) {
        throw new IllegalArgumentException(
            "zero bytes at column " + (i + 1) + ": an unfinished write");
      }
    }
    boolean checkpoint = TrailFormat.isCheckpoint(bytes, length);
    if (!checkpoint && !TrailFormat.startsWith(bytes, length, TrailFormat.EVENT_START)) {
      throw new IllegalArgumentException("starts with neither {\"seq\": nor {\"checkpoint\":");
    }
    int minimum = TrailFormat.CHAIN_SUFFIX + (checkpoint ? TrailFormat.MAC_SUFFIX : 0) + 8;
    if (length < minimum
        || !TrailFormat.hasAt(bytes, TrailFormat.canonicalEnd(length), TrailFormat.CHAIN_FIELD)
        || bytes[length - 2] != '"'
        || bytes[length - 1] != '}') {
      throw new IllegalArgumentException("does not end with a \"chain\" field");
    }
    if (checkpoint
        && !TrailFormat.hasAt(bytes, TrailFormat.macCoveredEnd(length), TrailFormat.MAC_FIELD)) {
      throw new IllegalArgumentException("a checkpoint without its \"mac\" field before \"chain\"");
    }
    if (TrailFormat.readHex(bytes, TrailFormat.chainHexStart(length)) == null
        || checkpoint && TrailFormat.readHex(bytes, TrailFormat.macHexStart(length)) == null) {
      throw new IllegalArgumentException(
          "a \"chain\" or \"mac\" field that is not 64 lower-case hex digits");
    }
    int fieldsEnd =
        checkpoint ? TrailFormat.macCoveredEnd(length) : TrailFormat.canonicalEnd(length);
    Object parsed;
    try {
      parsed = Json.parse(new String(bytes, 0, fieldsEnd, UTF_8) + "}");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) parsed;
    TrailLine line = new TrailLine(bytes, fields);
    if (checkpoint ? !(fields.get("lastSeq") instanceof Long) : line.seq() < 1) {
      throw new IllegalArgumentException(
          checkpoint ? "a checkpoint without \"lastSeq\"" : "\"seq\" is not a positive number");
    }
    return line;
  }

  int length() {
    return bytes.length;
  }

  boolean isCheckpoint() {
    return TrailFormat.isCheckpoint(bytes, bytes.length);
  }

  /** The checkpoint's kind ({@code open}, {@code rotate}…), or {@code null} for an event. */
  String kind() {
    return fields.get("checkpoint") instanceof String kind ? kind : null;
  }

  /** Whether this checkpoint ends a file or a run. */
  boolean isTerminal() {
    String kind = kind();
    return "rotate".equals(kind) || "close".equals(kind) || "recover".equals(kind);
  }

  /** The event's sequence number; 0 for a checkpoint. */
  long seq() {
    return fields.get("seq") instanceof Long seq ? seq : 0;
  }

  /** A checkpoint's {@code lastSeq}. */
  long lastSeq() {
    return fields.get("lastSeq") instanceof Long seq ? seq : 0;
  }

  /** A numeric field, or -1. */
  long number(String name) {
    return fields.get(name) instanceof Long value ? value : -1;
  }

  /** The sequence numbers a {@code recover} checkpoint reports lost. */
  List<Long> lost() {
    return fields.get("lost") instanceof List<?> lost
        ? lost.stream().filter(Long.class::isInstance).map(Long.class::cast).toList()
        : List.of();
  }

  /** Whether the chain value (and, for a checkpoint, the HMAC) has been written. */
  boolean isSealed() {
    return !TrailFormat.isPlaceholder(bytes, TrailFormat.chainHexStart(bytes.length))
        && (!isCheckpoint()
            || !TrailFormat.isPlaceholder(bytes, TrailFormat.macHexStart(bytes.length)));
  }

  /** The chain value the line holds. */
  byte[] storedChain() {
    return TrailFormat.readHex(bytes, TrailFormat.chainHexStart(bytes.length));
  }

  /** The HMAC a checkpoint holds. */
  byte[] storedMac() {
    return TrailFormat.readHex(bytes, TrailFormat.macHexStart(bytes.length));
  }
}
