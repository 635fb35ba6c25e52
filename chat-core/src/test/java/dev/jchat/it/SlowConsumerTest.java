package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A socket that stops reading is cut off once its backlog passes the limit; the room goes on. */
class SlowConsumerTest {
  @RegisterExtension
  static final ChatServerExtension server =
      ChatServerExtension.create(builder -> builder.outboundLimitBytes(64 * 1024));

  private static final int BATCH = 50;
  private static final int MAX_MESSAGES = 5000;

  @Test
  void aSocketThatStopsReadingIsClosedWith1008WhileTheSenderCarriesOn() throws IOException {
    Rest.User sender = server.newUser("firehose");
    Rest.User sluggard = server.newUser("sluggard");
    String room = server.rest().newPublicRoom(sender);
    ChatSocket firehose = server.joined(sender, room);
    String text = "x".repeat(3990); // plus the counter: at most 4,000

    try (RawWebSocket slow = RawWebSocket.signIn(server.port(), sluggard.token(), 4096)) {
      slow.sendText(Json.object("type", "join", "room", room));
      slow.awaitJson("joined");
      firehose.recorder().awaitPresence(room, sluggard.userId(), "join");
      // from here on the slow client reads nothing until it is gone

      int sent = 0;
      while (firehose.recorder().framesSoFar(frame -> "presence".equals(frame.path("type").asText())
          && "leave".equals(frame.path("event").asText())).isEmpty()) {
        if (sent >= MAX_MESSAGES) fail("no disconnect after " + sent + " messages of about 4,000 characters");
        firehose.sendAll(room, text, BATCH); // awaits the acks: the sender is not held up
        sent += BATCH;
      }

      List<String> received = new ArrayList<>();
      int code = slow.readUntilEnd(received::add);
      assertTrue(code == 1008 || code == -1, "closed with 1008 (or dropped), not " + code);
      int delivered = received.size();
      int total = sent;
      assertTrue(delivered < total, () -> "the slow socket got all " + total + " messages");
      if (!received.isEmpty() && received.get(received.size() - 1).contains("\"error\"")) {
        assertTrue(received.get(received.size() - 1).contains("slow_consumer"),
            () -> "last frame: " + Json.abbreviate(received.get(received.size() - 1)));
      }
    }
  }
}
