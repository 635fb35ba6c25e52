package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.Ids;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /api/rooms}: list, create, read, members. Private-room rules: {@link PrivateRoomTest}. */
class RestRoomsTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest rest() {
    return server.rest();
  }

  @Test
  void creatingARoomAnswers201WithItsId() {
    Rest.User owner = server.newUser("owner");
    String roomId = Ids.unique("Room_x.y");
    JsonNode body =
        rest()
            .post("/api/rooms", owner.token(), TestJson.object("roomId", roomId, "name", "Nice"))
            .assertStatus(201)
            .json();
    assertEquals(roomId, body.path("roomId").asText());
    JsonNode room = rest().get(Rest.roomPath(roomId), owner.token()).assertStatus(200).json();
    assertEquals("Nice", room.path("name").asText());
    assertFalse(room.path("private").asBoolean(true), "a room is public unless asked otherwise");
  }

  @Test
  void aRoomIdWithASpaceIsAddressedUrlEncoded() {
    Rest.User owner = server.newUser("spacey");
    String roomId = Ids.unique("Room");
    String withSpace = roomId.replace('-', ' ');
    rest().createRoom(owner.token(), withSpace, false, List.of()).assertStatus(201);
    JsonNode room =
        rest().get("/api/rooms/" + Rest.encode(withSpace), owner.token()).assertStatus(200).json();
    assertEquals(withSpace, room.path("roomId").asText());
  }

  @Test
  void aRoomIdOfExactly64AllowedCharactersIsAccepted() {
    Rest.User owner = server.newUser("long");
    String roomId =
        (Ids.unique("r") + " abcdefghijklmnopqrstuvwxyz_.-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            .substring(0, 64);
    rest().createRoom(owner.token(), roomId, false, List.of()).assertStatus(201);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "slash/room",
        "question?",
        "tab\there",
        "ümlaut",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm"
      })
  void creatingARoomWithAnInvalidIdIs400(String roomId) {
    Rest.User owner = server.newUser("invalid");
    rest().createRoom(owner.token(), roomId, false, List.of()).assertError(400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"roomId\":", "{}", "[\"room\"]"})
  void creatingARoomWithABodyThatIsNotAValidRequestIs400(String body) {
    Rest.User owner = server.newUser("badbody");
    rest().post("/api/rooms", owner.token(), body).assertError(400, "bad_request");
  }

  @Test
  void creatingARoomWithoutATokenIs401() {
    rest().createRoom(null, Ids.unique("anon"), false, List.of()).assertError(401, "unauthorized");
  }

  @Test
  void creatingARoomWithAnUnknownParticipantIs404AndCreatesNothing() {
    Rest.User owner = server.newUser("friendly");
    String roomId = Ids.unique("ghosts");
    rest()
        .createRoom(owner.token(), roomId, true, List.of(Ids.unique("ghost")))
        .assertError(404, "not_found");
    rest().get(Rest.roomPath(roomId), owner.token()).assertError(404, "not_found");
  }

  @Test
  void creatingARoomThatExistsIs409() {
    Rest.User owner = server.newUser("first");
    Rest.User other = server.newUser("second");
    String roomId = rest().newPublicRoom(owner);
    rest().createRoom(other.token(), roomId, false, List.of()).assertError(409, "conflict");
  }

  @Test
  void theDefaultRoomGeneralExists() {
    Rest.User user = server.newUser("seed");
    JsonNode room = rest().get("/api/rooms/general", user.token()).assertStatus(200).json();
    assertEquals("general", room.path("roomId").asText());
    assertFalse(room.path("private").asBoolean(true));
  }

  @Test
  void theRoomListShowsPublicRoomsToEveryUserWithAllFields() {
    Rest.User owner = server.newUser("lister");
    Rest.User stranger = server.newUser("stranger");
    String roomId = rest().newPublicRoom(owner);
    JsonNode room =
        findRoom(rest().get("/api/rooms", stranger.token()).assertStatus(200).json(), roomId);
    if (room == null) {
      fail("public room " + roomId + " missing from a stranger's list");
    }
    for (String field : List.of("roomId", "name", "private", "members", "online", "lastSeq")) {
      assertTrue(room.has(field), () -> "room object lacks '" + field + "': " + room);
    }
    assertTrue(room.path("private").isBoolean(), () -> "private is not a boolean: " + room);
    assertTrue(room.path("lastSeq").isIntegralNumber(), () -> "lastSeq is not an integer: " + room);
    assertEquals(0, room.path("lastSeq").asLong());
  }

  @Test
  void theRoomListShowsPrivateRoomsOnlyToTheirMembers() {
    Rest.User owner = server.newUser("private");
    Rest.User member = server.newUser("member");
    Rest.User stranger = server.newUser("outsider");
    String roomId = rest().newPrivateRoom(owner, member.userId());
    assertTrue(
        findRoom(rest().get("/api/rooms", owner.token()).json(), roomId) != null,
        "creator sees it");
    JsonNode seen = findRoom(rest().get("/api/rooms", member.token()).json(), roomId);
    assertTrue(seen != null, "participant sees it");
    assertTrue(seen.path("private").asBoolean(), () -> "private flag: " + seen);
    assertEquals(
        null,
        findRoom(rest().get("/api/rooms", stranger.token()).json(), roomId),
        "a private room is not in a non-member's list");
  }

  @Test
  void lastSeqInTheRoomListFollowsTheMessages() {
    Rest.User owner = server.newUser("counter");
    String roomId = rest().newPublicRoom(owner);
    JdkSocket socket = server.joined(owner, roomId);
    socket.say(roomId, "one");
    socket.say(roomId, "two");
    JsonNode ack = socket.say(roomId, "three");
    assertEquals(3, ack.path("seq").asLong());
    JsonNode room = findRoom(rest().get("/api/rooms", owner.token()).json(), roomId);
    assertEquals(3, room.path("lastSeq").asLong(), () -> "room: " + room);
    assertEquals(
        3, rest().get(Rest.roomPath(roomId), owner.token()).json().path("lastSeq").asLong());
  }

  @Test
  void gettingARoomReturnsTheRoomObjectWithItsMemberIds() {
    Rest.User owner = server.newUser("host");
    Rest.User guest = server.newUser("guest");
    String roomId = rest().newPrivateRoom(owner, guest.userId());
    JsonNode room = rest().get(Rest.roomPath(roomId), guest.token()).assertStatus(200).json();
    for (String field :
        List.of("roomId", "name", "private", "members", "online", "lastSeq", "memberIds")) {
      assertTrue(room.has(field), () -> "room object lacks '" + field + "': " + room);
    }
    assertEquals(roomId, room.path("roomId").asText());
    assertTrue(room.path("private").asBoolean());
    assertEquals(
        sorted(owner.userId(), guest.userId()),
        sorted(TestJson.texts(room.path("memberIds"))),
        "the creator and the participants are the members");
  }

  @Test
  void gettingAnUnknownRoomIs404() {
    Rest.User user = server.newUser("seeker");
    rest().get(Rest.roomPath(Ids.unique("nowhere")), user.token()).assertError(404, "not_found");
  }

  @Test
  void gettingARoomWithoutATokenIs401() {
    rest().get("/api/rooms/general", null).assertError(401, "unauthorized");
  }

  @Test
  void addingAMemberAnswers200AndIsIdempotent() {
    Rest.User owner = server.newUser("adder");
    Rest.User friend = server.newUser("friend");
    String roomId = rest().newPublicRoom(owner);
    String path = Rest.roomPath(roomId) + "/members/" + friend.userId();
    for (int attempt = 0; attempt < 2; attempt++) {
      JsonNode body = rest().put(path, owner.token()).assertStatus(200).json();
      assertEquals(roomId, body.path("roomId").asText());
      assertEquals(friend.userId(), body.path("userId").asText());
    }
    JsonNode room = rest().get(Rest.roomPath(roomId), owner.token()).json();
    assertEquals(
        sorted(owner.userId(), friend.userId()), sorted(TestJson.texts(room.path("memberIds"))));
  }

  @Test
  void aSignedInUserMayAddThemselvesToAPublicRoom() {
    Rest.User owner = server.newUser("opener");
    Rest.User walkIn = server.newUser("walkin");
    String roomId = rest().newPublicRoom(owner);
    rest()
        .put(Rest.roomPath(roomId) + "/members/" + walkIn.userId(), walkIn.token())
        .assertStatus(200);
    JsonNode room = rest().get(Rest.roomPath(roomId), walkIn.token()).json();
    assertTrue(
        TestJson.texts(room.path("memberIds")).contains(walkIn.userId()), () -> "members: " + room);
  }

  @Test
  void addingAMemberToAnUnknownRoomIs404() {
    Rest.User user = server.newUser("lostroom");
    rest()
        .put(Rest.roomPath(Ids.unique("void")) + "/members/" + user.userId(), user.token())
        .assertError(404, "not_found");
  }

  @Test
  void addingAnUnknownUserIs404() {
    Rest.User owner = server.newUser("inviter");
    String roomId = rest().newPublicRoom(owner);
    rest()
        .put(Rest.roomPath(roomId) + "/members/" + Ids.unique("phantom"), owner.token())
        .assertError(404, "not_found");
  }

  @Test
  void addingAMemberWithoutATokenIs401() {
    Rest.User owner = server.newUser("tokenless");
    String roomId = rest().newPublicRoom(owner);
    rest()
        .put(Rest.roomPath(roomId) + "/members/" + owner.userId(), null)
        .assertError(401, "unauthorized");
  }

  @Test
  void aMemberRemovingThemselvesGets204AndIsGone() {
    Rest.User owner = server.newUser("remover");
    Rest.User leaver = server.newUser("leaver");
    String roomId = rest().newPrivateRoom(owner, leaver.userId());
    rest()
        .delete(Rest.roomPath(roomId) + "/members/" + leaver.userId(), leaver.token())
        .assertStatus(204);
    JsonNode room = rest().get(Rest.roomPath(roomId), owner.token()).assertStatus(200).json();
    assertEquals(List.of(owner.userId()), TestJson.texts(room.path("memberIds")));
  }

  @Test
  void removingAnotherMemberWithoutBeingTheCreatorIs403() {
    // docs/protocol.md: users remove themselves; removing someone else needs the creator
    Rest.User owner = server.newUser("creator");
    Rest.User member = server.newUser("member");
    Rest.User other = server.newUser("other");
    String roomId = rest().newPrivateRoom(owner, member.userId(), other.userId());
    rest()
        .delete(Rest.roomPath(roomId) + "/members/" + other.userId(), member.token())
        .assertError(403, "forbidden");
    rest()
        .delete(Rest.roomPath(roomId) + "/members/" + other.userId(), owner.token())
        .assertStatus(204);
    JsonNode room = rest().get(Rest.roomPath(roomId), owner.token()).json();
    assertEquals(
        sorted(owner.userId(), member.userId()), sorted(TestJson.texts(room.path("memberIds"))));
  }

  @Test
  void removingAMemberFromAnUnknownRoomIs404() {
    Rest.User user = server.newUser("unroom");
    rest()
        .delete(Rest.roomPath(Ids.unique("void")) + "/members/" + user.userId(), user.token())
        .assertError(404, "not_found");
  }

  @Test
  void removingAMemberWithoutATokenIs401() {
    Rest.User owner = server.newUser("anonrm");
    String roomId = rest().newPublicRoom(owner);
    rest()
        .delete(Rest.roomPath(roomId) + "/members/" + owner.userId(), null)
        .assertError(401, "unauthorized");
  }

  static JsonNode findRoom(JsonNode roomList, String roomId) {
    JsonNode rooms = roomList.path("rooms");
    assertTrue(rooms.isArray(), () -> "no rooms array: " + roomList);
    for (JsonNode room : rooms) {
      if (roomId.equals(room.path("roomId").asText())) {
        return room;
      }
    }
    return null;
  }

  private static List<String> sorted(String... ids) {
    return List.of(ids).stream().sorted().toList();
  }

  private static List<String> sorted(List<String> ids) {
    return ids.stream().sorted().toList();
  }
}
