package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Membership changes reach open sockets at once (protocol v1.1): an added user's sockets hear
 * {@code membership added}; a removed user's sockets hear {@code left} (reason {@code removed}) if
 * they had joined, then {@code membership removed}, and from then on nothing of that room.
 */
class MembershipTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest rest() {
    return server.rest();
  }

  private static boolean isOf(JsonNode frame, String type, String room) {
    return type.equals(frame.path("type").asText()) && room.equals(frame.path("room").asText());
  }

  private static void assertNothingOf(JdkSocket socket, String room, int framesBefore) {
    List<JsonNode> all = socket.recorder().framesSoFar(f -> true);
    for (JsonNode frame : all.subList(framesBefore, all.size())) {
      if (room.equals(frame.path("room").asText())) {
        throw new AssertionError("frame of '" + room + "' after the removal: " + frame);
      }
    }
  }

  @Test
  void aRemovedMembersSocketIsTakenOutOfTheRoomAndHearsNothingMore() {
    Rest.User owner = server.newUser("owner");
    Rest.User bob = server.newUser("bob");
    Rest.User carol = server.newUser("carol");
    String room = rest().newPrivateRoom(owner, bob.userId(), carol.userId());
    JdkSocket ownerSocket = server.joined(owner, room);
    JdkSocket bobSocket = server.joined(bob, room);
    ownerSocket.say(room, "before");
    bobSocket.recorder().awaitMessage(room, "before");

    rest()
        .delete(Rest.roomPath(room) + "/members/" + bob.userId(), owner.token())
        .assertStatus(204);

    JsonNode left = bobSocket.recorder().await(f -> isOf(f, "left", room), "left of " + room);
    assertEquals("removed", left.path("reason").asText());
    JsonNode removed =
        bobSocket.recorder().await(f -> isOf(f, "membership", room), "membership of " + room);
    assertEquals("removed", removed.path("event").asText());
    assertEquals(owner.userId(), removed.path("by").asText());
    int seenAfterRemoval = bobSocket.recorder().framesSoFar(f -> true).size();
    ownerSocket.recorder().awaitPresence(room, bob.userId(), "leave");

    ownerSocket.say(room, "after");
    JdkSocket carolSocket = server.joined(carol, room); // presence join goes to the members
    ownerSocket.recorder().awaitPresence(room, carol.userId(), "join");
    carolSocket.say(room, "after, from carol");
    ownerSocket.recorder().awaitMessage(room, "after, from carol");

    bobSocket.roundTrip(); // anything queued for bob before this answer has arrived
    assertNothingOf(bobSocket, room, seenAfterRemoval);
    bobSocket.sendText(room, "let me back in", "r-1");
    assertEquals("r-1", bobSocket.recorder().awaitError("not_found").path("ref").asText());
    bobSocket.send("type", "join", "room", room);
    bobSocket.recorder().awaitError("not_found");
  }

  @Test
  void leavingFromAnotherDeviceTakesEverySocketOfTheUserOut() {
    Rest.User owner = server.newUser("host");
    Rest.User dave = server.newUser("dave");
    String room = rest().newPrivateRoom(owner, dave.userId());
    JdkSocket ownerSocket = server.joined(owner, room);
    JdkSocket phone = server.joined(dave, room);
    JdkSocket laptop = server.signIn(dave); // signed in, never joined this room

    rest()
        .delete(Rest.roomPath(room) + "/members/" + dave.userId(), dave.token())
        .assertStatus(204);

    assertEquals(
        "removed",
        phone.recorder().await(f -> isOf(f, "left", room), "left").path("reason").asText());
    JsonNode onPhone = phone.recorder().await(f -> isOf(f, "membership", room), "membership");
    JsonNode onLaptop = laptop.recorder().await(f -> isOf(f, "membership", room), "membership");
    for (JsonNode m : List.of(onPhone, onLaptop)) {
      assertEquals("removed", m.path("event").asText());
      assertEquals(dave.userId(), m.path("by").asText());
    }
    laptop.recorder().assertNoFrame(f -> isOf(f, "left", room), "left on a socket never joined");
    int seen = phone.recorder().framesSoFar(f -> true).size();
    ownerSocket.say(room, "dave is gone");
    phone.roundTrip();
    assertNothingOf(phone, room, seen);
  }

  @Test
  void anAddedUsersSocketsHearItAtCreationAndOnPut() {
    Rest.User owner = server.newUser("maker");
    Rest.User erin = server.newUser("erin");
    Rest.User frank = server.newUser("frank");
    JdkSocket erinSocket = server.signIn(erin);
    JdkSocket frankSocket = server.signIn(frank);
    String room = rest().newPrivateRoom(owner, erin.userId());

    JsonNode added = erinSocket.recorder().await(f -> isOf(f, "membership", room), "membership");
    assertEquals("added", added.path("event").asText());
    assertEquals(owner.userId(), added.path("by").asText());

    rest().put(Rest.roomPath(room) + "/members/" + frank.userId(), erin.token()).assertStatus(200);
    JsonNode put = frankSocket.recorder().await(f -> isOf(f, "membership", room), "membership");
    assertEquals("added", put.path("event").asText());
    assertEquals(erin.userId(), put.path("by").asText());
    frankSocket.join(room); // the new member may join at once

    // idempotent PUT: no second event
    rest().put(Rest.roomPath(room) + "/members/" + frank.userId(), owner.token()).assertStatus(200);
    frankSocket.roundTrip();
    assertEquals(1, frankSocket.recorder().framesSoFar(f -> isOf(f, "membership", room)).size());
  }
}
