package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.Ids;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/rooms/{id}/messages}: paging with before, after and limit. */
class RestMessagesTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private static final int SEEDED = 250;
  private static Rest.User author;
  private static String room;

  @BeforeAll
  static void seedARoomWith250Messages() {
    author = server.newUser("author");
    room = server.rest().newPublicRoom(author);
    try (JdkSocket socket = JdkSocket.signIn(server.http(), server.port(), author.token())) {
      socket.join(room);
      socket.sendAll(room, "m", SEEDED);
    }
  }

  private JsonNode messages(String query) {
    return server.rest().messages(author.token(), room, query);
  }

  @Test
  void messagesComeAscendingWithSeqSenderTextAndTimestamp() {
    JsonNode messages = messages("after=0&limit=3");
    assertEquals(List.of(1L, 2L, 3L), TestJson.seqs(messages));
    for (int i = 0; i < 3; i++) {
      JsonNode message = messages.get(i);
      assertEquals(author.userId(), message.path("from").asText(), () -> "from: " + message);
      assertEquals("m" + (i + 1), message.path("text").asText(), () -> "text: " + message);
      assertTrue(message.path("ts").isIntegralNumber(), () -> "ts: " + message);
    }
  }

  @Test
  void withoutParametersTheNewest50ComeBack() {
    // the contract fixes the default limit; docs/protocol.md the window: the newest
    assertEquals(TestJson.range(SEEDED - 49, SEEDED), TestJson.seqs(messages("")));
  }

  @Test
  void afterPagesForwardFromAnExclusiveBound() {
    assertEquals(TestJson.range(31, 40), TestJson.seqs(messages("after=30&limit=10")));
  }

  @Test
  void beforePagesBackwardFromAnExclusiveBound() {
    assertEquals(TestJson.range(20, 29), TestJson.seqs(messages("before=30&limit=10")));
  }

  @Test
  void beforeAndAfterTogetherGiveTheMessagesBetween() {
    assertEquals(TestJson.range(11, 14), TestJson.seqs(messages("after=10&before=15")));
  }

  @Test
  void afterTheLastSeqThereIsNothing() {
    assertEquals(List.of(), TestJson.seqs(messages("after=" + SEEDED)));
  }

  @Test
  void aLimitOf200Returns200Messages() {
    assertEquals(TestJson.range(1, 200), TestJson.seqs(messages("after=0&limit=200")));
  }

  @Test
  void aLimitAbove200NeverReturnsMoreThan200() {
    Rest.Response response =
        server.rest().get(Rest.roomPath(room) + "/messages?after=0&limit=500", author.token());
    if (response.status() == 400) {
      response.assertErrorShape("bad_request"); // rejecting is as good as clamping
    } else {
      response.assertStatus(200);
      int count = response.json().path("messages").size();
      assertTrue(count <= 200, () -> "limit=500 returned " + count + " messages");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=abc", "before=x", "after=1.5", "after=ten&limit=5"})
  void malformedPagingParametersAre400(String query) {
    server
        .rest()
        .get(Rest.roomPath(room) + "/messages?" + query, author.token())
        .assertError(400, "bad_request");
  }

  @Test
  void aNewRoomHasNoMessages() {
    String empty = server.rest().newPublicRoom(author);
    assertEquals(0, server.rest().messages(author.token(), empty, "").size());
  }

  @Test
  void anyUserMayReadAPublicRoom() {
    Rest.User reader = server.newUser("reader");
    assertEquals(
        TestJson.range(1, 5),
        TestJson.seqs(server.rest().messages(reader.token(), room, "after=0&limit=5")));
  }

  @Test
  void messagesOfAnUnknownRoomAre404() {
    server
        .rest()
        .get(Rest.roomPath(Ids.unique("nothing")) + "/messages", author.token())
        .assertError(404, "not_found");
  }

  @Test
  void messagesWithoutATokenAre401() {
    server.rest().get(Rest.roomPath(room) + "/messages", null).assertError(401, "unauthorized");
  }
}
