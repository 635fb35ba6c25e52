package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.SocketRecorder;
import dev.jchat.testing.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ref} makes a send idempotent per user: a repeat is stored and delivered once and is
 * answered with the original ack. (Across a restart: {@link RestartTest}.)
 */
class IdempotentSendTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest.User sender;
  private String room;
  private JdkSocket observer;

  private void aRoomWithAnObserver() {
    sender = server.newUser("sender");
    room = server.rest().newPublicRoom(sender);
    observer = server.joined(server.newUser("observer"), room);
  }

  /** After a later message has reached the observer, how many times {@code text} was delivered. */
  private int deliveredCount(JdkSocket via, String text) {
    via.say(room, "sync");
    observer.recorder().awaitMessage(room, "sync");
    return observer
        .recorder()
        .framesSoFar(
            frame ->
                SocketRecorder.isMessageIn(frame, room) && text.equals(frame.path("text").asText()))
        .size();
  }

  private List<String> storedTexts() {
    return TestJson.field(
        server.rest().messages(sender.token(), room, "after=0&limit=200"), "text");
  }

  @Test
  void aSendRepeatedOnTheSameConnectionIsStoredAndDeliveredOnce() {
    aRoomWithAnObserver();
    JdkSocket socket = server.joined(sender, room);
    socket.sendText(room, "only once", "dup-1");
    JsonNode original = socket.recorder().awaitAck("dup-1");
    socket.sendText(room, "only once", "dup-1");
    JsonNode repeat = socket.recorder().awaitAck("dup-1");

    assertEquals(
        original.path("seq").asLong(),
        repeat.path("seq").asLong(),
        "the repeat gets the original ack");
    assertEquals(room, repeat.path("room").asText());
    assertEquals(1, deliveredCount(socket, "only once"));
    assertEquals(List.of("only once", "sync"), storedTexts());
  }

  @Test
  void aSendRepeatedBeforeTheFirstIsAckedIsStillStoredOnce() {
    aRoomWithAnObserver();
    JdkSocket socket = server.joined(sender, room);
    socket.sendText(room, "hasty", "dup-2");
    socket.sendText(room, "hasty", "dup-2");
    long first = socket.recorder().awaitAck("dup-2").path("seq").asLong();
    long second = socket.recorder().awaitAck("dup-2").path("seq").asLong();
    assertEquals(first, second);
    assertEquals(1, deliveredCount(socket, "hasty"));
    assertEquals(List.of("hasty", "sync"), storedTexts());
  }

  @Test
  void aSendRepeatedFromANewConnectionAndSessionOfTheSameUserIsStoredOnce() {
    aRoomWithAnObserver();
    JdkSocket before = server.joined(sender, room);
    before.sendText(room, "did it arrive?", "dup-3");
    long original = before.recorder().awaitAck("dup-3").path("seq").asLong();
    before.abort();

    JdkSocket after = server.signIn(server.rest().token(sender.userId()));
    after.join(room);
    after.sendText(room, "did it arrive?", "dup-3");
    assertEquals(original, after.recorder().awaitAck("dup-3").path("seq").asLong());
    assertEquals(1, deliveredCount(after, "did it arrive?"));
    assertEquals(List.of("did it arrive?", "sync"), storedTexts());
  }

  @Test
  void theSameRefFromAnotherUserIsAnotherMessage() {
    aRoomWithAnObserver();
    JdkSocket mine = server.joined(sender, room);
    JdkSocket theirs = server.joined(server.newUser("namesake"), room);
    mine.sendText(room, "mine", "shared-ref");
    long first = mine.recorder().awaitAck("shared-ref").path("seq").asLong();
    theirs.sendText(room, "theirs", "shared-ref");
    long second = theirs.recorder().awaitAck("shared-ref").path("seq").asLong();
    assertNotEquals(first, second);
    assertEquals(List.of("mine", "theirs"), storedTexts());
  }

  @Test
  void differentRefsAreDifferentMessagesEvenWithTheSameText() {
    aRoomWithAnObserver();
    JdkSocket socket = server.joined(sender, room);
    socket.say(room, "again");
    socket.say(room, "again");
    assertEquals(List.of("again", "again"), storedTexts());
  }

  @Test
  void aRefOf64CharactersIsAcceptedAndEchoed() {
    aRoomWithAnObserver();
    JdkSocket socket = server.joined(sender, room);
    String ref = "r".repeat(64);
    socket.sendText(room, "long ref", ref);
    assertEquals(ref, socket.recorder().awaitAck(ref).path("ref").asText());
  }

  @Test
  void aRefLongerThan64CharactersIsABadRequest() {
    aRoomWithAnObserver();
    JdkSocket socket = server.joined(sender, room);
    socket.sendText(room, "too long a ref", "r".repeat(65));
    socket.recorder().awaitError("bad_request");
    assertEquals(List.of(), storedTexts());
  }
}
