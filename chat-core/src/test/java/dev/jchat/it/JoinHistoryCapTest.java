package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A {@code joined} with {@code since} carries at most {@code historyCap} messages and says so. */
class JoinHistoryCapTest {
  @RegisterExtension
  static final ChatServerExtension server =
      ChatServerExtension.create(builder -> builder.historyCap(5));

  private String roomWith12Messages(Rest.User author) {
    String room = server.rest().newPublicRoom(author);
    JdkSocket socket = server.joined(author, room);
    socket.sendAll(room, "m", 12);
    return room;
  }

  @Test
  void missingMoreThanTheCapGivesAnIncompleteHistoryThatPagingCompletes() {
    Rest.User author = server.newUser("prolific");
    String room = roomWith12Messages(author);
    JdkSocket reader = server.signIn(server.newUser("behind"));

    JsonNode joined = reader.join(room, 2L);
    assertFalse(joined.path("complete").asBoolean(true), () -> "joined: " + joined);
    assertEquals(12, joined.path("lastSeq").asLong());
    // the client "then pages with history", which pages backwards from `before`: so the cap
    // keeps the latest messages and the gap lies before them
    assertEquals(TestJson.range(8, 12), TestJson.seqs(joined.path("history")));

    reader.send("type", "history", "room", room, "before", 8, "limit", 50);
    JsonNode page = reader.recorder().awaitType("history");
    assertEquals(TestJson.range(1, 7), TestJson.seqs(page.path("messages")));
  }

  @Test
  void missingNoMoreThanTheCapIsComplete() {
    Rest.User author = server.newUser("brief");
    String room = roomWith12Messages(author);
    JsonNode joined = server.signIn(server.newUser("almost")).join(room, 7L);
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
    assertEquals(TestJson.range(8, 12), TestJson.seqs(joined.path("history")));
  }
}
