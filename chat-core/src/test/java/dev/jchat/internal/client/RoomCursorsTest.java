package dev.jchat.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomCursorsTest {
  private final RoomCursors rooms = new RoomCursors();

  private static ChatMessage m(long seq) {
    return new ChatMessage("r", seq, "u", "t" + seq, 0);
  }

  private static List<ChatMessage> range(long from, long to) {
    List<ChatMessage> list = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      list.add(m(seq));
    }
    return list;
  }

  private static ChatSocket.Joined joined(boolean complete, List<ChatMessage> history) {
    long last = history.isEmpty() ? 0 : history.get(history.size() - 1).seq();
    return new ChatSocket.Joined("r", last, complete, List.of(), history);
  }

  @Test
  void liveMessagesAfterTheCursorPassOnceAndOlderOnesAreDropped() {
    rooms.joined("r", 3);
    assertEquals(List.of(), rooms.live(m(3)));
    assertEquals(List.of(m(4)), rooms.live(m(4)));
    assertEquals(List.of(), rooms.live(m(4)));
    assertEquals(
        List.of(new ChatMessage("other", 1, "u", "x", 0)),
        rooms.live(new ChatMessage("other", 1, "u", "x", 0)));
  }

  @Test
  void aCompleteRejoinReleasesWhatIsNewThenWhatWasHeldLive() {
    rooms.joined("r", 2);
    assertEquals(Map.of("r", 2L), rooms.resumeAll());
    assertTrue(rooms.isResuming("r"));
    assertEquals(List.of(), rooms.live(m(6))); // held: the rejoin's answer is not in yet
    RoomCursors.Resume step = rooms.rejoined(joined(true, range(3, 5)));
    assertEquals(0, step.pageBefore());
    assertEquals(range(3, 6), step.deliver());
    assertFalse(rooms.isResuming("r"));
    assertEquals(List.of(m(7)), rooms.live(m(7)));
  }

  @Test
  void aCappedRejoinPagesBackUntilTheGapIsFilled() {
    rooms.joined("r", 250);
    rooms.resumeAll();
    RoomCursors.Resume step = rooms.rejoined(joined(false, range(500, 504)));
    assertEquals(new RoomCursors.Resume(List.of(), 500), step);
    assertEquals(List.of(), rooms.live(m(505)));
    step = rooms.page("r", range(300, 499));
    assertEquals(new RoomCursors.Resume(List.of(), 300), step);
    step = rooms.page("r", range(100, 299)); // reaches past the cursor: the overlap is dropped
    assertEquals(new RoomCursors.Resume(range(251, 505), 0), step);
    assertEquals(List.of(m(506)), rooms.live(m(506)));
  }

  @Test
  void anEmptyPageEndsTheGapAndAForgottenRoomIsNotResumed() {
    rooms.joined("r", 0);
    rooms.resumeAll();
    assertEquals(new RoomCursors.Resume(List.of(), 7), rooms.rejoined(joined(false, range(7, 8))));
    assertEquals(range(7, 8), rooms.page("r", List.of()).deliver());
    rooms.forget("r");
    assertEquals(Map.of(), rooms.resumeAll());
    assertEquals(RoomCursors.Resume.NOTHING, rooms.rejoined(joined(true, range(1, 2))));
  }
}
