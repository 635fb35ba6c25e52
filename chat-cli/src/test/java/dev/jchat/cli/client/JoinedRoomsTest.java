package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a session shows of the rooms it is in, and what it asks for when it rejoins. */
class JoinedRoomsTest {
  private static final Instant NOON = Instant.parse("2026-11-29T12:00:00Z");
  private final JoinedRooms rooms =
      new JoinedRooms(new Renderer(false, Clock.fixed(NOON, ZoneOffset.UTC)), "alice");

  private static ChatMessage m(String room, long seq, String text) {
    return new ChatMessage(room, seq, "bob", text, NOON.toEpochMilli());
  }

  private static ChatSocket.Joined joined(String room, boolean complete, ChatMessage... history) {
    return new ChatSocket.Joined(
        room,
        history.length == 0 ? 0 : history[history.length - 1].seq(),
        complete,
        List.of("alice", "bob"),
        List.of(history));
  }

  private static List<String> texts(List<Output.Line> lines) {
    return lines.stream().map(Output.Line::text).collect(Collectors.toList());
  }

  @Test
  void aFirstJoinShowsTheLatestMessagesThenWhoIsOnline() {
    rooms.enter("general");
    assertEquals(
        List.of("12:00 bob: one", "12:00 bob: two", "* joined general, online: alice, bob"),
        texts(
            rooms.joined(joined("general", true, m("general", 1, "one"), m("general", 2, "two")))));
  }

  @Test
  void aRejoinAsksSinceTheLastShownAndShowsOnlyWhatWasMissedUnderAHeading() {
    rooms.enter("general");
    rooms.joined(joined("general", true, m("general", 1, "one")));
    assertEquals("12:00 bob: two", rooms.message(m("general", 2, "two")));
    assertEquals(Map.of("general", 2L), rooms.rejoins());

    List<Output.Line> lines =
        rooms.joined(joined("general", true, m("general", 2, "two"), m("general", 3, "three")));
    assertEquals(List.of("-- 1 missed message in general --", "12:00 bob: three"), texts(lines));
    assertFalse(lines.get(0).message());
    assertTrue(lines.get(1).message());
    assertNull(rooms.message(m("general", 3, "three")), "shown once");
  }

  @Test
  void aRoomNeverJoinedIsJoinedWithoutSince() {
    rooms.enter("general");
    assertEquals(Map.of("general", -1L), rooms.rejoins());
  }

  @Test
  void aCutShortRejoinSaysSo() {
    rooms.enter("general");
    rooms.joined(joined("general", true));
    List<String> lines = texts(rooms.joined(joined("general", false, m("general", 900, "late"))));
    assertTrue(
        lines.contains("* more were missed than the server sends at once: /history shows them"),
        lines.toString());
  }

  @Test
  void messagesFromARoomThatIsNotCurrentNameIt() {
    rooms.enter("general");
    rooms.joined(joined("general", true));
    rooms.enter("Room 1");
    rooms.joined(joined("Room 1", true));
    assertEquals("12:00 [general] bob: hi", rooms.message(m("general", 1, "hi")));
    assertEquals("12:00 bob: here", rooms.message(m("Room 1", 1, "here")));
    assertNull(rooms.message(m("elsewhere", 1, "not joined")));
  }

  @Test
  void leavingMakesTheLatestJoinedRoomCurrent() {
    rooms.enter("general");
    rooms.enter("random");
    rooms.enter("Room 1");
    assertTrue(rooms.leave("Room 1"));
    assertEquals("random", rooms.current());
    assertEquals("[random] > ", rooms.prompt());
    assertFalse(rooms.leave("Room 1"));
    rooms.leave("random");
    rooms.leave("general");
    assertNull(rooms.current());
    assertEquals("> ", rooms.prompt());
  }

  @Test
  void aFailedJoinPutsTheCurrentRoomBack() {
    rooms.enter("general");
    rooms.joined(joined("general", true));
    JoinedRooms.Entry entry = rooms.enter("nowhere");
    assertEquals("general", entry.previous());
    rooms.joinFailed("nowhere", entry.previous());
    assertEquals("general", rooms.current());
    assertEquals(List.of("general"), rooms.ids());
  }

  @Test
  void ownPresenceIsNotShownButCountsAsOnline() {
    rooms.enter("general");
    rooms.joined(joined("general", true));
    assertNull(rooms.presence("general", "alice", "leave"));
    assertEquals("12:00 * carol joined general", rooms.presence("general", "carol", "join"));
    assertEquals(List.of("bob", "carol"), rooms.online("general"));
  }

  @Test
  void waitingForAMessageToBeShownEndsWhenItIs() throws InterruptedException {
    rooms.enter("general");
    rooms.joined(joined("general", true, m("general", 1, "one")));
    assertTrue(rooms.awaitShown("general", 1, Duration.ZERO));
    assertFalse(rooms.awaitShown("general", 2, Duration.ZERO));
    assertFalse(rooms.awaitShown("elsewhere", 1, Duration.ZERO));
  }
}
