package dev.jchat.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class HttpHeadersTest {

  @Test
  void namesMatchIgnoringCaseAndTheFirstValueIsTheValue() {
    HttpHeaders headers =
        HttpHeaders.of("Content-Type", "application/json", "X-A", "1", "x-a", "2");

    assertEquals("application/json", headers.get("content-type"));
    assertEquals("1", headers.get("X-A"));
    assertEquals(List.of("1", "2"), headers.all("X-a"));
    assertNull(headers.get("Missing"));
    assertEquals(List.of(), headers.all("Missing"));
    assertTrue(headers.contains("CONTENT-TYPE"));
  }

  @Test
  void fieldsKeepTheirOrderAndSpellingPastTheInitialCapacity() {
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < 20; i++) {
      headers.add("X-Field-" + i, "v" + i);
    }

    assertEquals(20, headers.size());
    for (int i = 0; i < 20; i++) {
      assertEquals("X-Field-" + i, headers.name(i));
      assertEquals("v" + i, headers.value(i));
    }
    assertThrows(IndexOutOfBoundsException.class, () -> headers.name(20));
  }

  @Test
  void containsTokenReadsEveryFieldAsACommaSeparatedList() {
    HttpHeaders headers = HttpHeaders.of("Connection", "keep-alive, Upgrade", "connection", ",te,");

    assertTrue(headers.containsToken("Connection", "upgrade"));
    assertTrue(headers.containsToken("CONNECTION", "Keep-Alive"));
    assertTrue(headers.containsToken("Connection", "TE"));
    assertFalse(headers.containsToken("Connection", "close"));
    assertFalse(headers.containsToken("Connection", "keep"));
    assertFalse(headers.containsToken("Upgrade", "websocket"));
  }

  @Test
  void addRefusesWhatCouldSplitOrCorruptAResponse() {
    HttpHeaders headers = new HttpHeaders();

    assertEquals(
        "Header value of X-A has a forbidden character.",
        assertThrows(IllegalArgumentException.class, () -> headers.add("X-A", "a\r\nX-B: b"))
            .getMessage());
    assertEquals(
        "Header name is not a token: \"X A\".",
        assertThrows(IllegalArgumentException.class, () -> headers.add("X A", "a")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> headers.add("", "a"));
    assertThrows(IllegalArgumentException.class, () -> headers.add("X-A", "\u20ac"));
    assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X-A"));
    assertEquals(0, headers.size());
  }
}
