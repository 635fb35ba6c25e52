package dev.jchat.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jchat.ChatException;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
  private final PendingRequests pending = new PendingRequests(3);

  @Test
  void anAnswerWithARefFindsItsRequest() {
    pending.add("a", "ack", "general", "send");
    var b = pending.add("b", "ack", "general", "send");
    assertSame(b, pending.take("ack", "b", "general"));
    assertEquals(1, pending.size());
  }

  @Test
  void anAnswerWithoutARefFindsTheOldestRequestOfItsTypeAndRoom() {
    var first = pending.add("a", "joined", "general", "join");
    pending.add("b", "joined", "random", "join");
    var third = pending.add("c", "joined", "general", "join");
    assertSame(first, pending.take("joined", null, "general"));
    assertSame(third, pending.take("joined", null, "general"));
    assertNull(pending.take("joined", null, "general"));
  }

  @Test
  void anAckIsNeverMatchedWithoutItsRef() {
    pending.add("a", "ack", "general", "send");
    assertNull(pending.take("ack", null, "general"));
    assertNull(pending.take("ack", "other", "general"));
  }

  @Test
  void anAnswerOfAnotherTypeDoesNotTakeARequestByRef() {
    pending.add("a", "history", "general", "history");
    assertNull(pending.take("joined", "a", "general"));
  }

  @Test
  void anErrorWithoutARefFailsTheOldestRequestOfItsRoomButNoSend() {
    pending.add("a", "ack", "general", "send");
    var join = pending.add("b", "joined", "general", "join");
    assertSame(join, pending.takeForError(null, "general"));
    assertNull(pending.takeForError(null, "general"));
    assertNull(pending.takeForError(null, null));
  }

  @Test
  void requestsPastTheBoundAreRefused() {
    pending.add("a", "ack", "r", "send");
    pending.add("b", "ack", "r", "send");
    pending.add("c", "ack", "r", "send");
    ChatException e = assertThrows(ChatException.class, () -> pending.add("d", "ack", "r", "send"));
    assertEquals("rate_limited", e.code());
  }

  @Test
  void closingHandsOverTheWaitingRequestsAndRefusesNewOnes() {
    pending.add("a", "ack", "r", "send");
    assertEquals(1, pending.closeAll("closed").size());
    assertEquals(0, pending.size());
    assertEquals(
        "unavailable",
        assertThrows(ChatException.class, () -> pending.add("b", "ack", "r", "send")).code());
  }

  @Test
  void aTimedOutRequestIsRemovedOnce() {
    var a = pending.add("a", "ack", "r", "send");
    assertEquals(true, pending.remove(a));
    assertEquals(false, pending.remove(a));
  }
}
