package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rate_limited}, as docs/protocol.md specifies it: sends over the per-user rate, and logins
 * after repeated failures. One server per test, as both leave lasting state behind.
 */
class RateLimitTest {
  @RegisterExtension
  final ChatServerExtension server = ChatServerExtension.create(builder -> builder.rateLimit(1));

  @Test
  void sendsOverTheRateGetRateLimitedWithTheirRefAndAreNotStored() {
    Rest.User user = server.newUser("chatty");
    String room = server.rest().newPublicRoom(user);
    ChatSocket socket = server.joined(user, room);
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      String ref = ChatSocket.newRef();
      refs.add(ref);
      socket.sendText(room, "burst " + i, ref);
    }
    int acked = 0;
    int limited = 0;
    for (String ref : refs) {
      JsonNode answer =
          socket
              .recorder()
              .await(
                  frame ->
                      ref.equals(frame.path("ref").asText())
                          && ("ack".equals(frame.path("type").asText())
                              || "error".equals(frame.path("type").asText())),
                  "ack or error for " + ref);
      if ("ack".equals(answer.path("type").asText())) {
        acked++;
      } else {
        assertEquals("rate_limited", answer.path("code").asText(), () -> "error: " + answer);
        limited++;
      }
    }
    // one per second with bursts of two: fifty sends in a row cannot all pass
    assertTrue(limited > 0, "no send was rate limited");
    assertTrue(acked >= 1, "even the first send was refused");
    assertEquals(
        acked,
        server.rest().messages(user.token(), room, "after=0&limit=200").size(),
        "exactly the acked sends are stored");
    socket.roundTrip(); // still open
  }

  @Test
  void fiveFailedLoginsBlockFurtherLoginsForThatUser() {
    String userId = Ids.unique("guessed");
    server.rest().registered(userId);
    for (int i = 0; i < 5; i++)
      server.rest().login(userId, "wrong guess " + i).assertError(401, "unauthorized");
    server.rest().login(userId, Rest.PASSWORD).assertError(429, "rate_limited");
  }
}
