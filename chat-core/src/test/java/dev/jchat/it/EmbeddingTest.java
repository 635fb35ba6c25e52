package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatException;
import dev.jchat.ChatListener;
import dev.jchat.ChatMessage;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.Ids;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host program's hooks: {@link ChatListener} moderation and observation, {@code post}. */
class EmbeddingTest {
  private static final String REASON = "no shouting about bananas";
  private static final BlockingQueue<ChatMessage> committed = new LinkedBlockingQueue<>();

  /** Rejects texts mentioning BANANAS; throws on "explode"; records every committed message. */
  private static final class Moderator implements ChatListener {
    @Override
    public String beforeMessage(String roomId, String userId, String text) {
      if (text.contains("explode")) {
        throw new IllegalStateException("a faulty listener");
      }
      return text.contains("BANANAS") ? REASON : null;
    }

    @Override
    public void onMessage(ChatMessage message) {
      committed.add(message);
    }
  }

  @RegisterExtension
  static final ChatServerExtension server =
      ChatServerExtension.create(builder -> builder.listener(new Moderator()));

  /** Waits for the next committed message of {@code room} seen by the listener. */
  private static ChatMessage nextCommitted(String room) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<ChatMessage> others = new ArrayList<>();
    while (true) {
      ChatMessage message =
          committed.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (message == null) {
        fail("onMessage saw nothing for room " + room + " within 10 s; other rooms: " + others);
      }
      if (message.roomId().equals(room)) {
        return message;
      }
      others.add(message);
    }
  }

  @Test
  void aMessageTheListenerRejectsGetsForbiddenWithTheReasonAndIsNotStored()
      throws InterruptedException {
    Rest.User alice = server.newUser("shouter");
    String room = server.rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    JdkSocket b = server.joined(server.newUser("listener"), room);

    a.sendText(room, "I love BANANAS", "b-1");
    JsonNode error = a.recorder().awaitError("forbidden");
    assertEquals("b-1", error.path("ref").asText(), () -> "error: " + error);
    assertTrue(error.path("message").asText().contains(REASON), () -> "error: " + error);

    a.say(room, "I like apples");
    b.recorder().awaitMessage(room, "I like apples");
    b.recorder()
        .assertNoFrame(
            frame -> frame.path("text").asText().contains("BANANAS"), "rejected message");
    assertEquals(
        List.of("I like apples"),
        TestJson.field(server.rest().messages(alice.token(), room, ""), "text"));
    ChatMessage first = nextCommitted(room);
    assertEquals("I like apples", first.text(), "onMessage never sees a rejected message");
    assertEquals(1, first.seq(), "a rejected message takes no seq");
  }

  @Test
  void onMessageObservesEveryCommittedMessageInSeqOrder() throws InterruptedException {
    Rest.User alice = server.newUser("observed");
    String room = server.rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    List<JsonNode> acks = a.sendAll(room, "o", 5);
    for (int i = 1; i <= 5; i++) {
      ChatMessage message = nextCommitted(room);
      JsonNode ack = acks.get(i - 1);
      assertEquals(
          new ChatMessage(room, i, alice.userId(), "o" + i, ack.path("ts").asLong()), message);
    }
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheConnection() {
    Rest.User alice = server.newUser("exploder");
    String room = server.rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    a.sendText(room, "please explode", "x-1");
    a.roundTrip();
    a.say(room, "still alive");
    a.recorder().awaitMessage(room, "still alive");
  }

  @Test
  void postDeliversToTheRoomsSocketsAndCompletesWithTheStoredMessage() throws Exception {
    Rest.User alice = server.newUser("botfriend");
    String room = server.rest().newPublicRoom(alice);
    JdkSocket a = server.joined(alice, room);
    a.say(room, "hi bot");

    ChatMessage posted =
        server.server().post(room, "helper-bot", "beep boop").get(10, TimeUnit.SECONDS);
    assertEquals(room, posted.roomId());
    assertEquals(2, posted.seq());
    assertEquals("helper-bot", posted.from());
    assertEquals("beep boop", posted.text());

    JsonNode delivered = a.recorder().awaitMessage(room, "beep boop");
    assertEquals("helper-bot", delivered.path("from").asText());
    assertEquals(posted.seq(), delivered.path("seq").asLong());
    assertEquals(posted.timestamp(), delivered.path("ts").asLong());
    JsonNode stored = server.rest().messages(alice.token(), room, "after=1");
    assertEquals(List.of("beep boop"), TestJson.field(stored, "text"));
  }

  @Test
  void postToARoomThatDoesNotExistFailsWithNotFound()
      throws InterruptedException, TimeoutException {
    try {
      server.server().post(Ids.unique("nowhere"), "bot", "hello?").get(10, TimeUnit.SECONDS);
      fail("post to an unknown room succeeded");
    } catch (ExecutionException e) {
      ChatException error = assertInstanceOf(ChatException.class, e.getCause());
      assertEquals("not_found", error.code());
      assertNotNull(error.getMessage());
    }
  }
}
