package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code join} with and without {@code since}: history, {@code complete}, no gap, no duplicate. */
class SocketJoinTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest.User author;
  private String room;
  private JdkSocket authorSocket;

  /** A fresh room holding {@code count} messages {@code m1..mN}, by a fresh author. */
  private void roomWithMessages(int count) {
    author = server.newUser("author");
    room = server.rest().newPublicRoom(author);
    authorSocket = server.joined(author, room);
    authorSocket.sendAll(room, "m", count);
  }

  private JdkSocket reader() {
    return server.signIn(server.newUser("reader"));
  }

  @Test
  void joiningWithSinceGetsExactlyTheMessagesAfterIt() {
    roomWithMessages(10);
    JsonNode joined = reader().join(room, 4L);
    assertEquals(room, joined.path("room").asText());
    assertEquals(10, joined.path("lastSeq").asLong(), () -> "joined: " + joined);
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
    assertEquals(TestJson.range(5, 10), TestJson.seqs(joined.path("history")));
    assertEquals(
        List.of("m5", "m6", "m7", "m8", "m9", "m10"),
        TestJson.field(joined.path("history"), "text"));
    JsonNode first = joined.path("history").get(0);
    assertEquals(author.userId(), first.path("from").asText(), () -> "history message: " + first);
    assertTrue(first.path("ts").isIntegralNumber(), () -> "history message: " + first);
  }

  @Test
  void joiningWithSinceAtTheLatestSeqGetsAnEmptyCompleteHistory() {
    roomWithMessages(3);
    JsonNode joined = reader().join(room, 3L);
    assertEquals(List.of(), TestJson.seqs(joined.path("history")));
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
    assertEquals(3, joined.path("lastSeq").asLong());
  }

  @Test
  void aReconnectingClientGetsWhatItMissedWithoutGapOrDuplicateThenLiveMessages() {
    roomWithMessages(3);
    Rest.User reader = server.newUser("returner");
    JdkSocket first = server.joined(reader, room);
    authorSocket.say(room, "m4");
    long lastSeen = first.recorder().awaitMessage(room, "m4").path("seq").asLong();
    first.disconnect();
    for (int i = 5; i <= 9; i++) {
      authorSocket.say(room, "m" + i);
    }

    JdkSocket second = server.signIn(reader);
    JsonNode joined = second.join(room, lastSeen);
    assertEquals(TestJson.range(5, 9), TestJson.seqs(joined.path("history")));
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
    authorSocket.say(room, "m10");
    assertEquals(
        10,
        second.recorder().awaitMessageIn(room).path("seq").asLong(),
        "the next live message follows the history");
  }

  @Test
  void joiningWithoutSinceGetsTheLatest20() {
    roomWithMessages(25);
    JsonNode joined = reader().join(room);
    assertEquals(TestJson.range(6, 25), TestJson.seqs(joined.path("history")));
    assertEquals(25, joined.path("lastSeq").asLong());
    // five older messages are not shown, so the history is not complete
    assertFalse(
        joined.path("complete").asBoolean(true), () -> "joined: " + joined.path("complete"));
  }

  @Test
  void joiningASmallRoomWithoutSinceGetsAllOfItAsComplete() {
    roomWithMessages(3);
    JsonNode joined = reader().join(room);
    assertEquals(TestJson.range(1, 3), TestJson.seqs(joined.path("history")));
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
  }

  @Test
  void joiningAnEmptyRoomGetsAnEmptyCompleteHistoryAndLastSeq0() {
    roomWithMessages(0);
    JsonNode joined = reader().join(room, 0L);
    assertEquals(0, joined.path("lastSeq").asLong());
    assertEquals(0, joined.path("history").size());
    assertTrue(joined.path("history").isArray(), () -> "joined: " + joined);
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
  }

  /**
   * The join races a flood: messages commit while the joiner's history is read. History plus live
   * messages must be exactly {@code since+1 ..} with nothing missing and nothing twice.
   */
  @RepeatedTest(8)
  void aJoinRacingASenderGetsEveryMessageAfterSinceExactlyOnce() {
    roomWithMessages(10);
    long since = 5;
    int flood = 200;
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= flood; i++) {
      refs.add(JdkSocket.newRef());
    }
    JdkSocket joiner = reader();

    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < flood; i++) {
                authorSocket.sendText(room, "live" + (i + 1), refs.get(i));
              }
            });
    authorSocket.recorder().awaitAck(refs.get(19)); // the flood is under way
    joiner.send("type", "join", "room", room, "since", since);
    JsonNode joined = joiner.awaitJoined(room);
    sending.join();
    long last = authorSocket.recorder().awaitAck(refs.get(flood - 1)).path("seq").asLong();
    assertEquals(10 + flood, last);
    assertTrue(
        joined.path("complete").asBoolean(false), () -> "joined: " + joined.path("complete"));

    joiner.say(room, "done"); // after the whole flood, so it arrives after all of it
    joiner.recorder().awaitMessage(room, "done");

    // what a client sees, in arrival order: the history of joined, then each live message
    List<Long> seen = new ArrayList<>();
    List<String> arrival = new ArrayList<>();
    for (JsonNode frame :
        joiner.recorder().framesSoFar(frame -> room.equals(frame.path("room").asText()))) {
      String type = frame.path("type").asText();
      if (type.equals("joined")) {
        List<Long> history = TestJson.seqs(frame.path("history"));
        seen.addAll(history);
        arrival.add(
            "joined"
                + (history.isEmpty()
                    ? "[]"
                    : "[" + history.get(0) + ".." + history.get(history.size() - 1) + "]"));
      } else if (type.equals("message") && !frame.path("text").asText().equals("done")) {
        seen.add(frame.path("seq").asLong());
        arrival.add(frame.path("seq").asText());
      }
    }
    assertEquals(
        TestJson.range(since + 1, last),
        seen,
        "joined with since=" + since + "; frames in arrival order: " + String.join(" ", arrival));
  }
}
