package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Private rooms: only members read, join, send or add others; to everyone else the room is
 * invisible. The contract lets the server answer non-members 403 or 404 and have it say which in
 * docs/protocol.md; ours says 404, "exactly as for a room that does not exist", everywhere.
 */
class PrivateRoomTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest rest() {
    return server.rest();
  }

  /** Asserts the documented answer to a non-member asking for the room: 404. */
  private void assertHidden(String roomId, Rest.User stranger) {
    rest().get(Rest.roomPath(roomId), stranger.token()).assertError(404, "not_found");
  }

  @Test
  void aNonMemberCannotReadTheRoomOrItsMessages() {
    Rest.User owner = server.newUser("keeper");
    Rest.User stranger = server.newUser("snoop");
    String roomId = rest().newPrivateRoom(owner);
    assertHidden(roomId, stranger);
    rest().get(Rest.roomPath(roomId) + "/messages", stranger.token()).assertError(404, "not_found");
    rest()
        .get(Rest.roomPath(roomId) + "/messages?after=0&limit=5", stranger.token())
        .assertError(404, "not_found");
  }

  @Test
  void aNonMemberCannotAddThemselvesOrOthers() {
    Rest.User owner = server.newUser("guard");
    Rest.User stranger = server.newUser("crasher");
    Rest.User friend = server.newUser("plusone");
    String roomId = rest().newPrivateRoom(owner);
    assertHidden(roomId, stranger);
    rest()
        .put(Rest.roomPath(roomId) + "/members/" + stranger.userId(), stranger.token())
        .assertError(404, "not_found");
    rest()
        .put(Rest.roomPath(roomId) + "/members/" + friend.userId(), stranger.token())
        .assertError(404, "not_found");
    JsonNode room = rest().get(Rest.roomPath(roomId), owner.token()).assertStatus(200).json();
    assertEquals(List.of(owner.userId()), TestJson.texts(room.path("memberIds")));
  }

  @Test
  void aNonMemberCannotRemoveAMember() {
    Rest.User owner = server.newUser("holder");
    Rest.User stranger = server.newUser("evictor");
    String roomId = rest().newPrivateRoom(owner);
    assertHidden(roomId, stranger);
    rest()
        .delete(Rest.roomPath(roomId) + "/members/" + owner.userId(), stranger.token())
        .assertError(404, "not_found");
    rest().get(Rest.roomPath(roomId), owner.token()).assertStatus(200);
  }

  @Test
  void aNonMemberCannotJoinItOverTheSocket() {
    Rest.User owner = server.newUser("door");
    Rest.User stranger = server.newUser("knocker");
    String roomId = rest().newPrivateRoom(owner);
    JdkSocket socket = server.signIn(stranger);
    socket.send("type", "join", "room", roomId, "ref", "j1");
    socket.recorder().awaitError("not_found");
    socket.roundTrip();
    socket.recorder().assertNoFrameOfType("joined");
  }

  @Test
  void aNonMemberCannotSendToItAndNothingIsStored() {
    Rest.User owner = server.newUser("vault");
    Rest.User stranger = server.newUser("spammer");
    String roomId = rest().newPrivateRoom(owner);
    JdkSocket socket = server.signIn(stranger);
    socket.sendText(roomId, "let me in", "s1");
    JsonNode error = socket.recorder().awaitError("not_found"); // as for a room that does not exist
    assertEquals("s1", error.path("ref").asText(), () -> "ref echoed: " + error);
    assertEquals(0, rest().messages(owner.token(), roomId, "").size());
  }

  @Test
  void membersReadJoinAndSend() {
    Rest.User owner = server.newUser("inner");
    Rest.User member = server.newUser("circle");
    String roomId = rest().newPrivateRoom(owner, member.userId());
    JdkSocket ownerSocket = server.joined(owner, roomId);
    JdkSocket memberSocket = server.joined(member, roomId);
    memberSocket.say(roomId, "psst");
    ownerSocket.recorder().awaitMessage(roomId, "psst");
    assertEquals(
        List.of("psst"), TestJson.field(rest().messages(member.token(), roomId, ""), "text"));
  }

  @Test
  void aMemberWhoIsNotTheCreatorCanAddOthersWhoThenGetIn() {
    Rest.User owner = server.newUser("founder");
    Rest.User member = server.newUser("insider");
    Rest.User newcomer = server.newUser("newcomer");
    String roomId = rest().newPrivateRoom(owner, member.userId());
    rest()
        .put(Rest.roomPath(roomId) + "/members/" + newcomer.userId(), member.token())
        .assertStatus(200);
    rest().get(Rest.roomPath(roomId), newcomer.token()).assertStatus(200);
    rest().messages(newcomer.token(), roomId, "");
    JsonNode joined = server.signIn(newcomer).join(roomId);
    assertEquals(roomId, joined.path("room").asText());
    assertTrue(
        RestRoomsTest.findRoom(rest().get("/api/rooms", newcomer.token()).json(), roomId) != null,
        "the room is now in the newcomer's list");
  }

  @Test
  void aNonMemberCannotReadItsHistoryOverTheSocket() {
    Rest.User owner = server.newUser("diary");
    String roomId = rest().newPrivateRoom(owner);
    JdkSocket owners = server.joined(owner, roomId);
    owners.say(roomId, "dear diary");
    JdkSocket stranger = server.signIn(server.newUser("reader"));
    stranger.send("type", "history", "room", roomId, "before", 100);
    stranger.recorder().awaitError("not_found");
    stranger.roundTrip();
    stranger.recorder().assertNoFrameOfType("history");
  }

  @Test
  void aRemovedMemberLosesAccess() {
    Rest.User owner = server.newUser("ex");
    Rest.User member = server.newUser("former");
    String roomId = rest().newPrivateRoom(owner, member.userId());
    rest()
        .delete(Rest.roomPath(roomId) + "/members/" + member.userId(), member.token())
        .assertStatus(204);
    assertHidden(roomId, member);
    rest().get(Rest.roomPath(roomId) + "/messages", member.token()).assertError(404, "not_found");
  }
}
