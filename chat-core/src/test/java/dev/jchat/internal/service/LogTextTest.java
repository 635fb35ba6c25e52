package dev.jchat.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Client-chosen text cannot forge or flood a log line. */
class LogTextTest {
  @Test
  void lineBreaksAndControlCharactersAreEscaped() {
    String quoted = LogText.quote("/api/x\r\nINFO forged line\u0007");
    assertEquals("\"/api/x\\u000d\\u000aINFO forged line\\u0007\"", quoted);
    assertFalse(quoted.contains("\n") || quoted.contains("\r"));
  }

  @Test
  void quotesAndBackslashesAreEscapedAndNonAsciiBecomesEscapes() {
    assertEquals("\"say \\\"hi\\\" \\\\ caf\\u00e9\"", LogText.quote("say \"hi\" \\ café"));
  }

  @Test
  void longTextIsCut() {
    String quoted = LogText.quote("x".repeat(10_000));
    assertTrue(quoted.length() < 210, quoted.length() + " characters");
    assertTrue(quoted.endsWith("...\""));
  }

  @Test
  void nullIsSaidPlainly() {
    assertEquals("null", LogText.quote(null));
  }
}
