package com.nimbusos.auth.api.audit.trail;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes a record's line straight into bytes, on the request thread, in that thread's buffer: the
 * same bytes as {@code toJson()} and UTF-8 would give, at a fraction of their cost (no {@code
 * String}, no {@code StringBuilder}, the time's date and clock part formatted once a second), since
 * that is the one thing a file trail makes the request wait for. The tail (the fields and the
 * unsealed chain field) is written first, leaving room in front for the sequence number, which is
 * known only once the line has its place.
 */
final class RecordEncoder {

  /**
   * Each thread's buffer, a plain {@code byte[]}: a value of the JDK's own type keeps no class of
   * the application alive in a container's pooled threads after the application is undeployed.
   */
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1024]);

  /** The date and clock part of the last second formatted, shared: it changes once a second. */
  private static volatile DateTime lastSecond = new DateTime(Long.MIN_VALUE, new byte[0]);

  /** Where the tail starts: room for <code>{"seq":</code> and the largest sequence number. */
  private static final int TAIL_START = TrailFormat.EVENT_START.length + 19;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UNSEALED = TrailFormat.unsealedChain();
  private static final byte[] TIME = ascii(",\"time\":");
  private static final byte[] REQUEST_ID = ascii(",\"requestId\":");
  private static final byte[] KEY_ID = ascii(",\"keyId\":");
  private static final byte[] KEY_FINGERPRINT = ascii(",\"keyFingerprint\":");
  private static final byte[] OWNER = ascii(",\"owner\":");
  private static final byte[] ENVIRONMENT = ascii(",\"environment\":");
  private static final byte[] OUTCOME = ascii(",\"outcome\":");
  private static final byte[] REASON = ascii(",\"reason\":");
  private static final byte[] METHOD = ascii(",\"method\":");
  private static final byte[] PATH = ascii(",\"path\":");
  private static final byte[] STATUS = ascii(",\"status\":");
  private static final byte[] CLIENT_ADDRESS = ascii(",\"clientAddress\":");
  private static final byte[] NEW_NETWORK_TRUE = ascii(",\"newNetwork\":true");
  private static final byte[] NEW_NETWORK_FALSE = ascii(",\"newNetwork\":false");
  private static final byte[] COMPLETED_STATUS = ascii(",\"completed\":true,\"status\":");
  private static final byte[] DURATION = ascii(",\"durationMicros\":");
  private static final byte[] ANOMALY = ascii(",\"anomaly\":");

  private byte[] buffer;
  private int end;

  private record DateTime(long second, byte[] text) {}

  private RecordEncoder() {
    this.buffer = BUFFER.get();
  }

  /** An encoder on this thread's buffer, holding {@code event}'s tail. */
  static RecordEncoder of(AuditEvent event) {
    RecordEncoder encoder = new RecordEncoder();
    encoder.encode(event);
    return encoder;
  }

  /** An encoder on this thread's buffer, holding {@code completion}'s tail. */
  static RecordEncoder of(AuditCompletion completion) {
    RecordEncoder encoder = new RecordEncoder();
    encoder.encode(completion);
    return encoder;
  }

  int tailLength() {
    return end - TAIL_START;
  }

  /** A copy of the tail, as {@link TrailFormat#eventTail} gives it. */
  byte[] tail() {
    return Arrays.copyOfRange(buffer, TAIL_START, end);
  }

  /**
   * Puts the sequence number in front of the tail; the line then lies in {@link #buffer()} from the
   * offset returned to {@link #end()}.
   */
  int lineStart(long seq) {
    int digits = TrailFormat.digits(seq);
    int start = TAIL_START - digits - TrailFormat.EVENT_START.length;
    System.arraycopy(TrailFormat.EVENT_START, 0, buffer, start, TrailFormat.EVENT_START.length);
    long value = seq;
    for (int i = TAIL_START - 1; i >= TAIL_START - digits; i--) {
      buffer[i] = (byte) ('0' + (int) (value % 10));
      value /= 10;
    }
    return start;
  }

  byte[] buffer() {
    return buffer;
  }

  int end() {
    return end;
  }

  private void encode(AuditEvent event) {
    end = TAIL_START;
    bytes(TIME);
    time(event.time());
    field(REQUEST_ID, event.requestId());
    field(KEY_ID, event.keyId());
    field(KEY_FINGERPRINT, event.keyFingerprint());
    field(OWNER, event.owner());
    field(ENVIRONMENT, event.environment());
    field(OUTCOME, event.outcome());
    field(REASON, event.reason());
    field(METHOD, event.method());
    field(PATH, event.path());
    if (event.status() != 0) {
      bytes(STATUS);
      number(event.status());
    }
    field(CLIENT_ADDRESS, event.clientAddress());
    bytes(event.newNetwork() ? NEW_NETWORK_TRUE : NEW_NETWORK_FALSE);
    field(ANOMALY, event.anomaly());
    bytes(UNSEALED);
  }

  private void encode(AuditCompletion completion) {
    end = TAIL_START;
    bytes(TIME);
    time(completion.time());
    field(REQUEST_ID, completion.requestId());
    field(OUTCOME, completion.outcome());
    field(REASON, completion.reason());
    bytes(COMPLETED_STATUS);
    number(completion.status());
    bytes(DURATION);
    number(completion.durationMicros());
    bytes(UNSEALED);
  }

  /** {@code name} is the field's name with its comma, quotes and colon: {@code ,"path":}. */
  private void field(byte[] name, String value) {
    if (value != null) {
      bytes(name);
      quote(value);
    }
  }

  /**
   * As {@code Instant.toString()}: the date and clock part once a second, the fraction in groups of
   * three digits.
   */
  private void time(Instant time) {
    long second = time.getEpochSecond();
    DateTime cached = lastSecond;
    if (cached.second() != second) {
      String text = Instant.ofEpochSecond(second).toString();
      cached =
          new DateTime(
              second, text.substring(0, text.length() - 1).getBytes(StandardCharsets.US_ASCII));
      lastSecond = cached;
    }
    byte[] cachedDateTime = cached.text();
    room(cachedDateTime.length + 13);
    byte[] out = buffer;
    int at = end;
    out[at++] = '"';
    System.arraycopy(cachedDateTime, 0, out, at, cachedDateTime.length);
    at += cachedDateTime.length;
    int nanos = time.getNano();
    if (nanos != 0) {
      out[at++] = '.';
      int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
      int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos;
      for (int i = at + digits - 1; i >= at; i--) {
        out[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      at += digits;
    }
    out[at++] = 'Z';
    out[at++] = '"';
    end = at;
  }

  /**
   * As {@code Json.quote} and UTF-8: control characters, DEL and the Unicode line separators as
   * {@code \\uXXXX}. Printable ASCII, nearly all of a record, takes the first branch.
   */
  private void quote(String value) {
    int length = value.length();
    room(length * 6 + 2);
    byte[] out = buffer;
    int at = end;
    out[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out[at++] = (byte) c;
      } else if (c == '"' || c == '\\') {
        out[at++] = '\\';
        out[at++] = (byte) c;
      } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        out[at++] = '\\';
        out[at++] = 'u';
        out[at++] = HEX[c >> 12 & 0xf];
        out[at++] = HEX[c >> 8 & 0xf];
        out[at++] = HEX[c >> 4 & 0xf];
        out[at++] = HEX[c & 0xf];
      } else if (c < 0x800) {
        out[at++] = (byte) (0xc0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int point = Character.toCodePoint(c, value.charAt(++i));
        out[at++] = (byte) (0xf0 | point >> 18);
        out[at++] = (byte) (0x80 | point >> 12 & 0x3f);
        out[at++] = (byte) (0x80 | point >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | point & 0x3f);
      } else if (Character.isSurrogate(c)) {
        out[at++] = '?'; // what UTF-8 makes of a lone surrogate
      } else {
        out[at++] = (byte) (0xe0 | c >> 12);
        out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | c & 0x3f);
      }
    }
    out[at++] = '"';
    end = at;
  }

  private void number(long value) {
    int digits = TrailFormat.digits(Math.abs(value)) + (value < 0 ? 1 : 0);
    room(20);
    if (value == Long.MIN_VALUE) {
      bytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
      return;
    }
    long rest = Math.abs(value);
    for (int i = end + digits - 1; i >= end; i--) {
      buffer[i] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    }
    if (value < 0) {
      buffer[end] = '-';
    }
    end += digits;
  }

  private void bytes(byte[] text) {
    room(text.length);
    System.arraycopy(text, 0, buffer, end, text.length);
    end += text.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private void room(int bytes) {
    if (end + bytes > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, end + bytes));
      BUFFER.set(buffer);
    }
  }
}
