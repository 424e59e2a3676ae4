package com.nimbusos.auth.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RedactionTest {

  private static final String KEY = "sk_live_secretsecretsecret1234";

  @Test
  void leavesAThrowableThatDoesNotMentionTheKeyAlone() {
    Exception e = new IllegalStateException("database down");
    assertSame(e, Redaction.scrub(e, KEY, "sk_live_…1234"));
  }

  @Test
  void removesTheKeyFromEveryMessageOfTheCauseChain() {
    Exception cause = new IllegalArgumentException("bad key " + KEY);
    Exception thrown = new IllegalStateException("lookup of " + KEY + " failed", cause);
    Throwable scrubbed = Redaction.scrub(thrown, KEY, "sk_live_…1234");
    String printed = stackTrace(scrubbed);
    assertFalse(printed.contains(KEY), printed);
    assertTrue(
        printed.contains("java.lang.IllegalStateException: lookup of sk_live_…1234 failed"),
        printed);
    assertTrue(
        printed.contains("java.lang.IllegalArgumentException: bad key sk_live_…1234"), printed);
    assertArrayEquals(thrown.getStackTrace(), scrubbed.getStackTrace());
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
