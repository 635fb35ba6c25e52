package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.Ids;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.SocketRecorder;
import dev.jchat.testing.TestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sending and receiving in rooms: order, isolation, acks, validation, leave, history, rooms. */
class SocketMessagingTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest rest() {
    return server.rest();
  }

  /**
   * Waits for the next {@code count} messages of {@code room} on {@code socket}, in arrival order.
   */
  static List<JsonNode> collect(JdkSocket socket, String room, int count) {
    List<JsonNode> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(socket.recorder().awaitMessageIn(room));
    }
    return messages;
  }

  /** What members must agree on: seq, sender and text of each message, in order. */
  static List<String> signature(List<JsonNode> messages) {
    List<String> lines = new ArrayList<>();
    for (JsonNode m : messages) {
      lines.add(
          m.path("seq").asLong() + " " + m.path("from").asText() + " " + m.path("text").asText());
    }
    return lines;
  }

  private static void sendMany(JdkSocket socket, String room, String prefix, int count) {
    for (int i = 1; i <= count; i++) {
      socket.sendText(room, prefix + i, JdkSocket.newRef());
    }
  }

  @Test
  void twoUsersSendingAtOnceBothSeeEveryMessageInTheSameSeqOrder() {
    Rest.User alice = server.newUser("alice");
    Rest.User bob = server.newUser("bob");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    JdkSocket b = server.joined(bob, room);
    int each = 40;

    CompletableFuture<Void> fromAlice =
        CompletableFuture.runAsync(() -> sendMany(a, room, "a", each));
    CompletableFuture<Void> fromBob =
        CompletableFuture.runAsync(() -> sendMany(b, room, "b", each));
    fromAlice.join();
    fromBob.join();

    List<String> seenByAlice = signature(collect(a, room, 2 * each));
    List<String> seenByBob = signature(collect(b, room, 2 * each));
    assertEquals(seenByAlice, seenByBob, "both members see the same messages in the same order");
    List<Long> seqs = seenByAlice.stream().map(line -> Long.parseLong(line.split(" ")[0])).toList();
    assertEquals(
        TestJson.range(1, 2 * each),
        seqs,
        "seq starts at 1, has no gaps and is the delivery order");
    assertEquals(
        seenByAlice,
        signature(listOf(rest().messages(alice.token(), room, "after=0&limit=200"))),
        "history holds the same messages in the same order");
    assertInSendingOrder(seenByAlice, alice.userId(), "a", each);
    assertInSendingOrder(seenByAlice, bob.userId(), "b", each);
  }

  private static void assertInSendingOrder(
      List<String> lines, String userId, String prefix, int count) {
    List<String> texts =
        lines.stream()
            .filter(line -> line.split(" ")[1].equals(userId))
            .map(line -> line.split(" ")[2])
            .toList();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      expected.add(prefix + i);
    }
    assertEquals(expected, texts, "one connection's messages keep their order");
  }

  private static List<JsonNode> listOf(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  @Test
  void aUserInAnotherRoomSeesNothingOfThisRoom() {
    Rest.User alice = server.newUser("talker");
    Rest.User carol = server.newUser("elsewhere");
    String busy = rest().newPublicRoom(alice);
    String quiet = rest().newPublicRoom(carol);
    JdkSocket a = server.joined(alice, busy);
    JdkSocket c = server.joined(carol, quiet);
    for (int i = 1; i <= 5; i++) {
      a.say(busy, "busy " + i);
    }

    c.say(quiet, "anyone?");
    c.recorder().awaitMessage(quiet, "anyone?");

    c.recorder()
        .assertNoFrame(
            frame -> busy.equals(frame.path("room").asText()), "frame about room " + busy);
  }

  @Test
  void theAckCarriesTheSameSeqAndTimestampAsTheDeliveredMessage() {
    Rest.User alice = server.newUser("acker");
    Rest.User bob = server.newUser("watcher");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    JdkSocket b = server.joined(bob, room);
    for (int i = 1; i <= 3; i++) {
      long before = System.currentTimeMillis();
      JsonNode ack = a.say(room, "hello " + i);
      long after = System.currentTimeMillis();
      JsonNode mine = a.recorder().awaitMessage(room, "hello " + i);
      JsonNode theirs = b.recorder().awaitMessage(room, "hello " + i);
      assertEquals(i, ack.path("seq").asLong(), () -> "ack: " + ack);
      for (JsonNode message : List.of(mine, theirs)) {
        assertEquals(
            ack.path("seq").asLong(),
            message.path("seq").asLong(),
            () -> "seq: " + ack + " vs " + message);
        assertEquals(
            ack.path("ts").asLong(),
            message.path("ts").asLong(),
            () -> "ts: " + ack + " vs " + message);
        assertEquals(alice.userId(), message.path("from").asText());
      }
      long ts = ack.path("ts").asLong();
      assertTrue(
          before <= ts && ts <= after,
          () ->
              "ts " + ts + " is not the server's time in epoch ms [" + before + ", " + after + "]");
    }
  }

  @Test
  void anAckedMessageCanAlreadyBeReadFromHistory() {
    Rest.User alice = server.newUser("durable");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    for (int i = 1; i <= 10; i++) {
      JsonNode ack = a.say(room, "kept " + i);
      long seq = ack.path("seq").asLong();
      JsonNode stored = rest().messages(alice.token(), room, "after=" + (seq - 1) + "&limit=1");
      assertEquals(
          1, stored.size(), () -> "message " + seq + " acked but not in history: " + stored);
      assertEquals("kept " + seq, stored.get(0).path("text").asText());
      assertEquals(ack.path("ts").asLong(), stored.get(0).path("ts").asLong());
    }
  }

  @Test
  void aMessageSeenByAnotherMemberCanAlreadyBeReadFromHistory() {
    Rest.User alice = server.newUser("writer");
    Rest.User bob = server.newUser("checker");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    JdkSocket b = server.joined(bob, room);
    for (int i = 1; i <= 10; i++) {
      a.sendText(room, "seen " + i, JdkSocket.newRef());
    }
    for (int i = 1; i <= 10; i++) {
      long seq = b.recorder().awaitMessage(room, "seen " + i).path("seq").asLong();
      JsonNode stored = rest().messages(bob.token(), room, "after=" + (seq - 1) + "&limit=1");
      assertEquals(List.of(seq), TestJson.seqs(stored), "delivered only once stored");
    }
  }

  @Test
  void aSendWithoutJoiningIsABadRequestAndNothingIsStored() {
    Rest.User alice = server.newUser("eager");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.signIn(alice);
    a.sendText(room, "too soon", "early-1");
    JsonNode error = a.recorder().awaitError("bad_request");
    assertEquals("early-1", error.path("ref").asText(), () -> "ref echoed: " + error);
    assertEquals(0, rest().messages(alice.token(), room, "").size());
    a.join(room);
    assertEquals(1, a.say(room, "now").path("seq").asLong(), "the rejected send took no seq");
  }

  @Test
  void aJoinOnOneConnectionDoesNotLetAnotherConnectionSend() {
    Rest.User alice = server.newUser("twin");
    String room = rest().newPublicRoom(alice);
    server.joined(alice, room);
    JdkSocket other = server.signIn(alice);
    other.sendText(room, "not joined here", "twin-1");
    other.recorder().awaitError("bad_request");
    assertEquals(0, rest().messages(alice.token(), room, "").size());
  }

  @Test
  void aSendToARoomThatDoesNotExistIsNotFound() {
    Rest.User alice = server.newUser("lost");
    JdkSocket a = server.signIn(alice);
    a.sendText(Ids.unique("nowhere"), "hello?", "lost-1");
    assertEquals("lost-1", a.recorder().awaitError("not_found").path("ref").asText());
  }

  @Test
  void joiningARoomThatDoesNotExistIsNotFound() {
    Rest.User alice = server.newUser("wander");
    JdkSocket a = server.signIn(alice);
    a.send("type", "join", "room", Ids.unique("nowhere"));
    a.recorder().awaitError("not_found");
    a.roundTrip();
    a.recorder().assertNoFrameOfType("joined");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   \t\n  "})
  void anEmptyOrBlankTextIsABadRequestAndNothingIsStored(String text) {
    Rest.User alice = server.newUser("mute");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    a.sendText(room, text, "blank");
    assertEquals("blank", a.recorder().awaitError("bad_request").path("ref").asText());
    assertEquals(0, rest().messages(alice.token(), room, "").size());
  }

  @Test
  void aTextOf4000CharactersIsAcceptedAnd4001IsABadRequest() {
    Rest.User alice = server.newUser("verbose");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    String longest = "x".repeat(4000);
    assertEquals(1, a.say(room, longest).path("seq").asLong());
    a.sendText(room, longest + "y", "too-long");
    assertEquals("too-long", a.recorder().awaitError("bad_request").path("ref").asText());
    assertEquals(
        2, a.say(room, "  " + longest + "  ").path("seq").asLong(), "length counts after trimming");
    assertEquals(2, rest().messages(alice.token(), room, "").size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json at all",
        "{\"room\":\"general\"}",
        "[1,2,3]",
        "{\"type\":\"dance\"}",
        "{\"type\":42}",
        "\"hello\""
      })
  void aFrameThatIsNotAValidRequestGetsABadRequestAndTheSocketStaysOpen(String frame) {
    Rest.User alice = server.newUser("garbled");
    JdkSocket a = server.signIn(alice);
    a.sendRaw(frame);
    a.recorder().awaitError("bad_request");
    a.roundTrip(); // still open and still answering
  }

  @Test
  void leavingAnswersLeftAndStopsDeliveryAndSending() {
    Rest.User alice = server.newUser("stayer");
    Rest.User bob = server.newUser("goer");
    String room = rest().newPublicRoom(alice);
    String other = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    a.join(other);
    JdkSocket b = server.joined(bob, room);
    b.join(other);

    b.send("type", "leave", "room", room);
    JsonNode left = b.recorder().awaitType("left");
    assertEquals(room, left.path("room").asText());
    a.say(room, "after you left");
    a.say(other, "still in this one");
    b.recorder().awaitMessage(other, "still in this one");
    b.recorder()
        .assertNoFrame(
            frame ->
                SocketRecorder.isMessageIn(frame, room)
                    && "after you left".equals(frame.path("text").asText()),
            "message of a room left");

    b.sendText(room, "from outside", "out-1");
    b.recorder().awaitError("bad_request");
  }

  @Test
  void theHistoryFramePagesBackwardsInAscendingOrder() {
    Rest.User alice = server.newUser("pager");
    String room = rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    a.sendAll(room, "h", 30);
    a.send("type", "history", "room", room, "before", 21, "limit", 5);
    JsonNode history = a.recorder().awaitType("history");
    assertEquals(room, history.path("room").asText());
    assertEquals(TestJson.range(16, 20), TestJson.seqs(history.path("messages")));
    assertEquals("h16", history.path("messages").get(0).path("text").asText());
  }

  @Test
  void theRoomsFrameListsTheSameRoomsAsRest() {
    Rest.User alice = server.newUser("browser");
    String mine = rest().newPrivateRoom(alice);
    JdkSocket a = server.signIn(alice);
    a.send("type", "rooms");
    JsonNode rooms = a.recorder().awaitType("rooms");
    JsonNode viaRest = rest().get("/api/rooms", alice.token()).assertStatus(200).json();
    assertEquals(sortedIds(viaRest.path("rooms")), sortedIds(rooms.path("rooms")));
    JsonNode room = RestRoomsTest.findRoom(rooms, mine);
    assertTrue(
        room != null && room.path("private").asBoolean(), () -> "own private room in " + rooms);
  }

  private static List<String> sortedIds(JsonNode rooms) {
    return TestJson.field(rooms, "roomId").stream().sorted().toList();
  }
}
