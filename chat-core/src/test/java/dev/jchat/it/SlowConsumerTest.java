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

  // 8 x 4 KB stays under the 64 KiB limit: the sender, which reads, is never the slow one
  private static final int BATCH = 8;
  // 10 MB: more than the kernel's socket buffers can hide (tcp_wmem allows at most 4 MB here)
  private static final int MAX_MESSAGES = 2500;

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
      while (sent < MAX_MESSAGES
          && firehose
              .recorder()
              .framesSoFar(
                  frame ->
                      "presence".equals(frame.path("type").asText())
                          && "leave".equals(frame.path("event").asText()))
              .isEmpty()) {
        firehose.sendAll(room, text, BATCH); // the sender gets its acks: it is not held up
        for (int i = 0; i < BATCH; i++) firehose.recorder().awaitMessageIn(room);
        sent += BATCH;
      }
      List<String> received = new ArrayList<>();
      try {
        firehose.recorder().awaitPresence(room, sluggard.userId(), "leave");
      } catch (AssertionError notClosed) {
        int code = slow.readUntilEnd(received::add);
        fail(
            "the slow socket was still in the room after "
                + sent
                + " messages of 4 KB; once it read, it got "
                + received.size()
                + " messages, then close "
                + code
                + "; last frame: "
                + (received.isEmpty()
                    ? "none"
                    : Json.abbreviate(received.get(received.size() - 1))));
      }

      int code = slow.readUntilEnd(received::add);
      assertTrue(code == 1008 || code == -1, "closed with 1008 (or dropped), not " + code);
      int total = sent;
      assertTrue(received.size() < total, () -> "the slow socket got all " + total + " messages");
      String last = received.isEmpty() ? "" : received.get(received.size() - 1);
      if (last.contains("\"error\""))
        assertTrue(last.contains("slow_consumer"), () -> "last frame: " + Json.abbreviate(last));
    }
  }
}
