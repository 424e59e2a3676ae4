package com.nimbusos.auth.api.audit.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.api.audit.AuditCompletion;
import com.nimbusos.auth.api.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request thread's encoder writes exactly what {@code toJson()} in UTF-8 would, whatever the
 * text.
 */
class RecordEncoderTest {

  private static final List<Instant> TIMES =
      List.of(
          Instant.parse("2026-12-02T10:00:00Z"),
          Instant.parse("2026-12-02T10:00:00.120Z"),
          Instant.parse("2026-12-02T10:00:00.000120Z"),
          Instant.parse("2026-12-02T10:00:00.000000120Z"),
          Instant.parse("2026-12-02T23:59:59.999999999Z"),
          Instant.parse("+12026-01-01T00:00:00.5Z"),
          Instant.EPOCH,
          Instant.parse("-0001-06-30T12:00:00Z"));

  private static final List<String> TEXTS =
      List.of(
          "/orders/42",
          "/\"quoted\"\\back",
          "/tab\there\nline\u0000nul\u007fdel",
          "/é/中文/\uD83D\uDE00",
          "/lone\uD83Dhigh",
          "/lone\uDE00low",
          "/sep\u2028\u2029",
          "");

  @Test
  void writesEventsByteForByteAsToJson() {
    for (Instant time : TIMES) {
      for (String text : TEXTS) {
        assertSame(
            new AuditEvent(
                time,
                "req_1",
                "key_" + text,
                null,
                text,
                "sandbox",
                "denied",
                "UNKNOWN",
                "GET",
                text,
                401,
                "192.0.2.1",
                true,
                null));
        assertSame(
            new AuditEvent(
                time,
                "req_2",
                null,
                "abcdef012345",
                null,
                null,
                "allowed",
                "PUBLIC",
                "HEAD",
                text,
                0,
                null,
                false,
                "SPRAYING"));
      }
    }
  }

  @Test
  void writesCompletionsByteForByteAsToJson() {
    for (Instant time : TIMES) {
      for (long duration :
          new long[] {0, 9, 1_234_567_890_123L, -5, Long.MIN_VALUE, Long.MAX_VALUE}) {
        for (AuditCompletion completion :
            new AuditCompletion[] {
              new AuditCompletion(time, "req_1", null, null, 503, duration),
              new AuditCompletion(time, "req_1", "denied", "INSUFFICIENT_SCOPE", 403, duration)
            }) {
          RecordEncoder encoder = RecordEncoder.of(completion);
          assertEquals(line(7, completion.toJson()), line(encoder, 7));
        }
      }
    }
  }

  @Test
  void putsAnySequenceNumberInFront() {
    AuditEvent event =
        new AuditEvent(
            TIMES.get(1),
            "req_1",
            null,
            null,
            null,
            null,
            "allowed",
            "PUBLIC",
            "GET",
            "/",
            0,
            null,
            false,
            "RATE_SPIKE");
    for (long seq : new long[] {1, 9, 10, 123_456_789, Long.MAX_VALUE}) {
      assertEquals(line(seq, event.toJson()), line(RecordEncoder.of(event), seq));
    }
  }

  private static void assertSame(AuditEvent event) {
    assertEquals(line(42, event.toJson()), line(RecordEncoder.of(event), 42), event.toString());
  }

  private static String line(long seq, String json) {
    return new String(
        TrailFormat.eventLine(seq, TrailFormat.eventTail(json)), StandardCharsets.ISO_8859_1);
  }

  private static String line(RecordEncoder encoder, long seq) {
    int start = encoder.lineStart(seq);
    return new String(
        Arrays.copyOfRange(encoder.buffer(), start, encoder.end()), StandardCharsets.ISO_8859_1);
  }
}
