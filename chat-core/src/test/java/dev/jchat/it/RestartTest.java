package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restarted on the same SQLite file (in the PostgreSQL execution, the same database)
 * carries on where it stopped.
 */
class RestartTest {
  @TempDir Path directory;

  private final HttpClient http = ChatServerExtension.newHttpClient();

  private ChatServer start() throws IOException {
    return ChatServerExtension.testBuilder(directory.resolve("chat.db")).build().start();
  }

  @Test
  void usersRoomsMembersMessagesAndSessionsSurviveARestart() throws IOException {
    String alice = "alice";
    String bob = "bob";
    String aliceToken;
    String bobToken;
    String loggedOut;
    long firstSeq;
    try (ChatServer server = start()) {
      Rest rest = new Rest(http, server.port());
      rest.registered(alice);
      rest.registered(bob);
      aliceToken = rest.token(alice);
      bobToken = rest.token(bob);
      loggedOut = rest.token(bob);
      rest.delete("/api/sessions", loggedOut).assertStatus(204);
      rest.createRoom(aliceToken, "Room 1", false, List.of()).assertStatus(201);
      rest.createRoom(aliceToken, "secret", true, List.of(bob)).assertStatus(201);
      try (JdkSocket socket = JdkSocket.signIn(http, server.port(), aliceToken)) {
        socket.join("Room 1");
        socket.sendText("Room 1", "first", "keep-1");
        firstSeq = socket.recorder().awaitAck("keep-1").path("seq").asLong();
        socket.say("Room 1", "second");
        socket.say("Room 1", "third");
        socket.join("secret");
        socket.say("secret", "between us");
      }
    }

    try (ChatServer server = start()) {
      Rest rest = new Rest(http, server.port());
      rest.login(alice, Rest.PASSWORD).assertStatus(201);
      rest.login(bob, "wrong password").assertStatus(401);
      JsonNode rooms = rest.get("/api/rooms", aliceToken).assertStatus(200).json();
      assertEquals(3, RestRoomsTest.findRoom(rooms, "Room 1").path("lastSeq").asLong());
      assertTrue(RestRoomsTest.findRoom(rooms, "secret").path("private").asBoolean());
      JsonNode secret = rest.get(Rest.roomPath("secret"), bobToken).assertStatus(200).json();
      assertEquals(
          List.of(alice, bob), TestJson.texts(secret.path("memberIds")).stream().sorted().toList());
      rest.get("/api/rooms", loggedOut).assertError(401, "unauthorized");
      assertEquals(
          List.of("first", "second", "third"),
          TestJson.field(rest.messages(bobToken, "Room 1", ""), "text"));
      assertEquals(
          List.of("between us"), TestJson.field(rest.messages(bobToken, "secret", ""), "text"));

      try (JdkSocket socket = JdkSocket.signIn(http, server.port(), aliceToken)) {
        JsonNode joined = socket.join("Room 1", 0L);
        assertEquals(TestJson.range(1, 3), TestJson.seqs(joined.path("history")));
        assertEquals(4, socket.say("Room 1", "fourth").path("seq").asLong(), "seq continues");
        socket.sendText("Room 1", "first", "keep-1");
        assertEquals(
            firstSeq,
            socket.recorder().awaitAck("keep-1").path("seq").asLong(),
            "a ref repeated after a restart gets the original ack");
        assertEquals(
            5, socket.say("Room 1", "fifth").path("seq").asLong(), "the repeat took no seq");
      }
      assertEquals(
          List.of("first", "second", "third", "fourth", "fifth"),
          TestJson.field(rest.messages(bobToken, "Room 1", ""), "text"));
    }
  }

  @Test
  void everyMessageAckedBeforeCloseIsStoredAndSeqHasNoGaps() throws IOException {
    List<String> refs = new ArrayList<>();
    List<Long> acked = new ArrayList<>();
    String token;
    ChatServer server = start();
    try {
      Rest rest = new Rest(http, server.port());
      rest.registered("closer");
      token = rest.token("closer");
      JdkSocket socket = JdkSocket.signIn(http, server.port(), token);
      socket.join("general");
      for (int i = 1; i <= 100; i++) {
        String ref = "c" + i;
        refs.add(ref);
        socket.sendText("general", "n" + i, ref);
      }
      acked.add(socket.recorder().awaitAck(refs.get(9)).path("seq").asLong());
      server.close(); // with up to 90 sends in flight
      for (JsonNode ack :
          socket.recorder().framesSoFar(frame -> "ack".equals(frame.path("type").asText()))) {
        acked.add(ack.path("seq").asLong());
      }
    } finally {
      server.close();
    }
    try (ChatServer restarted = start()) {
      List<Long> stored =
          TestJson.seqs(
              new Rest(http, restarted.port()).messages(token, "general", "after=0&limit=200"));
      assertEquals(TestJson.range(1, stored.size()), stored, "stored seqs start at 1 without gaps");
      assertTrue(stored.containsAll(acked), () -> "acked " + acked + " but stored only " + stored);
    }
  }
}
