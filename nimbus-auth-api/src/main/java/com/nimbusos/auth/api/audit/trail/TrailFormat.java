package com.nimbusos.auth.api.audit.trail;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusos.auth.api.internal.Json;
import java.time.Instant;
import java.util.Arrays;

/**
 * How records lie on their lines. An event: <code>{"seq":N,</code> + the event's own JSON fields +
 * <code>,"chain":"&lt;64 hex&gt;"}</code>. A checkpoint: <code>
 * {"checkpoint":"&lt;kind&gt;","time":…,"lastSeq":N,</code> + its fields + <code>
 * ,"mac":"&lt;64 hex&gt;","chain":"&lt;64 hex&gt;"}</code>. Both end in a newline. Lines are
 * written with their hex fields as {@value #PLACEHOLDER_CHAR}s (unsealed) and sealed in place
 * later, so that the fields' widths, and so every line's length, are known before anything is
 * hashed.
 */
final class TrailFormat {

  /** Bytes of a SHA-256 or HMAC-SHA256 value. */
  static final int HASH_BYTES = 32;

  /** A hash value in lower-case hex. */
  static final int HEX_CHARS = 64;

  static final char PLACEHOLDER_CHAR = '0';

  static final byte[] EVENT_START = "{\"seq\":".getBytes(US_ASCII);
  static final byte[] CHECKPOINT_START = "{\"checkpoint\":\"".getBytes(US_ASCII);
  static final byte[] CHAIN_FIELD = ",\"chain\":\"".getBytes(US_ASCII);
  static final byte[] MAC_FIELD = ",\"mac\":\"".getBytes(US_ASCII);

  /** {@code ,"chain":"…"}}: what follows a line's canonical bytes. */
  static final int CHAIN_SUFFIX = CHAIN_FIELD.length + HEX_CHARS + 2;

  /** {@code ,"mac":"…"}: what follows the bytes a checkpoint's HMAC covers. */
  static final int MAC_SUFFIX = MAC_FIELD.length + HEX_CHARS + 1;

  private static final byte[] UNSEALED_CHAIN = unsealedChain();
  private static final byte[] UNSEALED_MAC = concat(MAC_FIELD, placeholder(), new byte[] {'"'});
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(US_ASCII);

  private TrailFormat() {}

  /**
   * Everything of an event's line after its sequence number: the event's fields (its JSON without
   * the braces), the unsealed chain field and the newline. Built before the number is known.
   *
   * @param json one JSON object, as {@code AuditEvent.toJson()} writes it
   */
  static byte[] eventTail(String json) {
    byte[] object = json.getBytes(UTF_8);
    if (object.length < 3 || object[0] != '{' || object[object.length - 1] != '}') {
      throw new IllegalArgumentException("not a JSON object with fields");
    }
    int fields = object.length - 2;
    byte[] tail = new byte[1 + fields + UNSEALED_CHAIN.length];
    tail[0] = ',';
    System.arraycopy(object, 1, tail, 1, fields);
    System.arraycopy(UNSEALED_CHAIN, 0, tail, 1 + fields, UNSEALED_CHAIN.length);
    return tail;
  }

  /** The unsealed line of event {@code seq}, made of its tail. */
  static byte[] eventLine(long seq, byte[] tail) {
    byte[] line = new byte[EVENT_START.length + digits(seq) + tail.length];
    System.arraycopy(EVENT_START, 0, line, 0, EVENT_START.length);
    int at = writeDecimal(seq, line, EVENT_START.length);
    System.arraycopy(tail, 0, line, at, tail.length);
    return line;
  }

  /**
   * An unsealed checkpoint line.
   *
   * @param kind {@code open}, {@code periodic}, {@code rotate}, {@code close} or {@code recover}
   * @param lastSeq the sequence number of the last event before it, 0 for none
   * @param fields more JSON fields, each starting with a comma, or an empty string
   */
  static byte[] checkpointLine(String kind, Instant time, long lastSeq, String fields) {
    StringBuilder text =
        new StringBuilder(160).append("{\"checkpoint\":\"").append(kind).append("\",\"time\":");
    Json.quote(time.toString(), text);
    text.append(",\"lastSeq\":").append(lastSeq).append(fields);
    byte[] head = text.toString().getBytes(UTF_8);
    return concat(head, UNSEALED_MAC, UNSEALED_CHAIN);
  }

  /** A JSON string field, comma first, for {@link #checkpointLine}. */
  static String field(String name, String value) {
    StringBuilder text = new StringBuilder(",\"").append(name).append("\":");
    Json.quote(value, text);
    return text.toString();
  }

  /** Whether a line (of {@code length} bytes, newline excluded) is a checkpoint. */
  static boolean isCheckpoint(byte[] line, int length) {
    return startsWith(line, length, CHECKPOINT_START);
  }

  /** Where a line's canonical bytes, those its chain value covers, end. */
  static int canonicalEnd(int length) {
    return length - CHAIN_SUFFIX;
  }

  /** Where the bytes a checkpoint's HMAC covers end: at its {@code ,"mac":} field. */
  static int macCoveredEnd(int length) {
    return canonicalEnd(length) - MAC_SUFFIX;
  }

  /** Where the 64 hex digits of a line's chain value start. */
  static int chainHexStart(int length) {
    return canonicalEnd(length) + CHAIN_FIELD.length;
  }

  /** Where the 64 hex digits of a checkpoint's HMAC start. */
  static int macHexStart(int length) {
    return macCoveredEnd(length) + MAC_FIELD.length;
  }

  /** Writes {@code value} as 64 lower-case hex digits into {@code target} at {@code at}. */
  static void writeHex(byte[] value, byte[] target, int at) {
    for (int i = 0; i < HASH_BYTES; i++) {
      target[at + 2 * i] = HEX_DIGITS[(value[i] >> 4) & 0xf];
      target[at + 2 * i + 1] = HEX_DIGITS[value[i] & 0xf];
    }
  }

  /** Reads 64 hex digits at {@code at}; {@code null} if they are not all lower-case hex. */
  static byte[] readHex(byte[] source, int at) {
    byte[] value = new byte[HASH_BYTES];
    for (int i = 0; i < HASH_BYTES; i++) {
      int high = nibble(source[at + 2 * i]);
      int low = nibble(source[at + 2 * i + 1]);
      if (high < 0 || low < 0) {
        return null;
      }
      value[i] = (byte) (high << 4 | low);
    }
    return value;
  }

  private static int nibble(byte digit) {
    if (digit >= '0' && digit <= '9') {
      return digit - '0';
    }
    return digit >= 'a' && digit <= 'f' ? digit - 'a' + 10 : -1;
  }

  /** Whether the 64 bytes at {@code at} are all placeholders: a field not written yet. */
  static boolean isPlaceholder(byte[] source, int at) {
    for (int i = 0; i < HEX_CHARS; i++) {
      if (source[at + i] != PLACEHOLDER_CHAR) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the 64 bytes at {@code at} are {@code expected}'s hex digits with some of them still
   * placeholders: a seal the writer was stopped in the middle of.
   */
  static boolean isPartlyWritten(byte[] source, int at, byte[] expected) {
    byte[] hex = new byte[HEX_CHARS];
    writeHex(expected, hex, 0);
    for (int i = 0; i < HEX_CHARS; i++) {
      if (source[at + i] != hex[i] && source[at + i] != PLACEHOLDER_CHAR) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code expected} lies in {@code line} at {@code at}. */
  static boolean hasAt(byte[] line, int at, byte[] expected) {
    return at >= 0
        && at + expected.length <= line.length
        && Arrays.equals(line, at, at + expected.length, expected, 0, expected.length);
  }

  static boolean startsWith(byte[] line, int length, byte[] prefix) {
    return length >= prefix.length
        && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Decimal digits of a number that is not negative. */
  static int digits(long value) {
    long bound = 10;
    for (int digits = 1; digits < 19; digits++) {
      if (value < bound) {
        return digits;
      }
      bound *= 10;
    }
    return 19;
  }

  private static int writeDecimal(long value, byte[] target, int at) {
    int end = at + digits(value);
    long v = value;
    for (int i = end - 1; i >= at; i--) {
      target[i] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    }
    return end;
  }

  private static byte[] placeholder() {
    byte[] hex = new byte[HEX_CHARS];
    Arrays.fill(hex, (byte) PLACEHOLDER_CHAR);
    return hex;
  }

  /**
   * The chain field with placeholders, the closing brace and the newline: how every unsealed line
   * ends.
   */
  static byte[] unsealedChain() {
    return concat(CHAIN_FIELD, placeholder(), new byte[] {'"', '}', '\n'});
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
