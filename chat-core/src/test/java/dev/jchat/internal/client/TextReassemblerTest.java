package dev.jchat.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextReassemblerTest {

  @Test
  void aWholeMessageComesBackAsIs() {
    assertEquals("{\"type\":\"ack\"}", new TextReassembler(100).append("{\"type\":\"ack\"}", true));
  }

  @Test
  void partsAreJoinedAtTheLastOne() {
    String message = "{\"type\":\"message\",\"text\":\"héllo\"}";
    for (int split = 0; split <= message.length(); split++) {
      TextReassembler r = new TextReassembler(100);
      assertNull(r.append(message.substring(0, split), false));
      assertEquals(message, r.append(message.substring(split), true), "split at " + split);
    }
  }

  @Test
  void eachMessageStartsAfresh() {
    TextReassembler r = new TextReassembler(100);
    r.append("one", false);
    assertEquals("one!", r.append("!", true));
    assertEquals("two", r.append("two", true));
  }

  @Test
  void aMessageLongerThanTheBoundIsRefused() {
    TextReassembler r = new TextReassembler(10);
    r.append("12345", false);
    assertThrows(TextReassembler.TooLongException.class, () -> r.append("678901", false));
    assertEquals("ok", r.append("ok", true), "the parts of the refused message are dropped");
  }

  @Test
  void exactlyTheBoundIsAllowed() {
    TextReassembler r = new TextReassembler(10);
    r.append("12345", false);
    assertEquals("1234567890", r.append("67890", true));
  }
}
