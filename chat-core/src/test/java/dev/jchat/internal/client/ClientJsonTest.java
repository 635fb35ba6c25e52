package dev.jchat.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatRoom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientJsonTest {

  @Test
  void aMessageFrameBecomesAChatMessage() {
    var frame =
        ClientJson.parse(
            "{\"type\":\"message\",\"room\":\"Room 1\",\"seq\":58,\"from\":\"alice\",\"text\":\"hello\",\"ts\":1764383400123}",
            "t");
    assertEquals(
        new ChatMessage("Room 1", 58, "alice", "hello", 1764383400123L),
        ClientJson.message(frame, "x"));
  }

  @Test
  void aHistoryItemWithoutARoomTakesTheRoomItCameWith() {
    var history = ClientJson.parse("[{\"seq\":1,\"from\":\"bob\",\"text\":\"hi\",\"ts\":5}]", "t");
    assertEquals(
        List.of(new ChatMessage("general", 1, "bob", "hi", 5)),
        ClientJson.messages(history, "general"));
  }

  @Test
  void aRoomObjectBecomesARoom() {
    var node =
        ClientJson.parse(
            "{\"roomId\":\"team\",\"name\":\"Team\",\"private\":true,\"members\":2,\"online\":1,\"lastSeq\":7,\"memberIds\":[\"alice\",\"bob\"],\"new\":1}",
            "t");
    assertEquals(
        new ChatRoom("team", "Team", true, 2, 1, 7, List.of("alice", "bob")),
        ClientJson.room(node));
  }

  @Test
  void aRoomWithoutANameIsNamedByItsId() {
    assertEquals(
        "general", ClientJson.room(ClientJson.parse("{\"roomId\":\"general\"}", "t")).name());
  }

  @Test
  void expiryMayBeMillisOrIsoText() {
    assertEquals(
        Instant.ofEpochMilli(1000), ClientJson.instant(ClientJson.parse("{\"e\":1000}", "t"), "e"));
    assertEquals(
        Instant.parse("2026-12-06T10:00:00Z"),
        ClientJson.instant(ClientJson.parse("{\"e\":\"2026-12-06T10:00:00Z\"}", "t"), "e"));
    assertNull(ClientJson.instant(ClientJson.parse("{}", "t"), "e"));
  }

  @Test
  void nullValuesAreLeftOutOfRequests() {
    assertEquals(
        "{\"userId\":\"al\",\"private\":false,\"participants\":[\"bo\"]}",
        ClientJson.write(
            ClientJson.object(
                "userId", "al", "name", null, "private", false, "participants", List.of("bo"))));
  }

  @Test
  void aMissingRequiredFieldIsAnInternalError() {
    var e =
        assertThrows(
            ChatException.class, () -> ClientJson.text(ClientJson.parse("{}", "t"), "token"));
    assertEquals("internal", e.code());
  }

  @Test
  void textThatIsNotJsonIsAnInternalError() {
    assertEquals(
        "internal",
        assertThrows(ChatException.class, () -> ClientJson.parse("<html>", "the answer")).code());
  }
}
