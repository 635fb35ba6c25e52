package dev.jchat.internal.websocket;

import static dev.jchat.internal.websocket.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class MessageAssemblerTest {
  @Test
  void arrayGrowsWithWhatArrivedNotWithWhatWasAnnounced() {
    MessageAssembler message = new MessageAssembler();
    append(message, "a", 65_536);
    assertEquals(1, message.array().length);
    append(message, "b", 65_536);
    append(message, "c", 65_536);
    assertEquals(4, message.array().length);
    append(message, "defgh", 65_536);
    assertEquals(8, message.array().length);
    assertArrayEquals(Frames.utf8("abcdefgh"), message.finish());
  }

  @Test
  void growthNeverPassesWhatTheMessageCanReach() {
    MessageAssembler message = new MessageAssembler();
    append(message, "abcd", 7);
    append(message, "ef", 7);
    assertEquals(7, message.array().length, "doubling would give 8");
    append(message, "g", 7);
    byte[] text = message.finish();
    assertSame(message.array(), text, "an exactly sized array is handed over without a copy");
    assertArrayEquals(Frames.utf8("abcdefg"), text);
  }

  @Test
  void finishTrimsToTheLength() {
    MessageAssembler message = new MessageAssembler();
    append(message, "abc", 100);
    append(message, "d", 100);
    assertEquals(6, message.array().length);
    assertArrayEquals(Frames.utf8("abcd"), message.finish());
  }

  @Test
  void emptyMessageFinishesAsAnEmptyArray() {
    assertArrayEquals(new byte[0], new MessageAssembler().finish());
  }

  @Test
  void finishRefusesAMessageEndingInsideACodePoint() {
    MessageAssembler message = new MessageAssembler();
    int at = message.reserve(2, 10);
    System.arraycopy(hex("e2 82"), 0, message.array(), at, 2);
    assertTrue(message.commit(2));
    assertNull(message.finish());
  }

  private static void append(MessageAssembler message, String ascii, int reachable) {
    byte[] bytes = Frames.utf8(ascii);
    int at = message.reserve(bytes.length, reachable);
    System.arraycopy(bytes, 0, message.array(), at, bytes.length);
    assertTrue(message.commit(bytes.length));
  }
}
