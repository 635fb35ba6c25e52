package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence is per user: {@code join} when a user's first connection enters a room, {@code leave}
 * when the last one goes (by {@code leave} or by any close); {@code joined} lists who is online.
 */
class PresenceTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest.User alice;
  private Rest.User bob;
  private String room;
  private JdkSocket aliceSocket;

  private void aliceInARoom() {
    alice = server.newUser("alice");
    bob = server.newUser("bob");
    room = server.rest().newPublicRoom(alice);
    aliceSocket = server.joined(alice, room);
  }

  private List<JsonNode> presenceOf(JdkSocket socket, String userId, String event) {
    return socket
        .recorder()
        .framesSoFar(
            frame ->
                "presence".equals(frame.path("type").asText())
                    && room.equals(frame.path("room").asText())
                    && userId.equals(frame.path("userId").asText())
                    && event.equals(frame.path("event").asText()));
  }

  @Test
  void aUsersFirstConnectionIsAnnouncedToOthersOnceAndNotToThemselves() {
    aliceInARoom();
    JdkSocket bob1 = server.joined(bob, room);
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "join");
    JdkSocket bob2 = server.joined(bob, room);

    bob2.say(room, "both of me are here");
    aliceSocket.recorder().awaitMessage(room, "both of me are here");
    bob1.recorder().awaitMessage(room, "both of me are here");

    assertEquals(
        1,
        presenceOf(aliceSocket, bob.userId(), "join").size(),
        "one join per user, not per connection");
    bob1.recorder()
        .assertNoFrame(
            frame ->
                "presence".equals(frame.path("type").asText())
                    && bob.userId().equals(frame.path("userId").asText()),
            "presence about oneself");
  }

  @Test
  void joinedListsTheUsersOnlineInTheRoomIncludingTheJoiner() {
    aliceInARoom();
    server.joined(bob, room);
    server.joined(bob, room);
    Rest.User carol = server.newUser("carol");
    JsonNode joined = server.signIn(carol).join(room);
    assertEquals(
        List.of(alice.userId(), bob.userId(), carol.userId()).stream().sorted().toList(),
        TestJson.texts(joined.path("online")).stream().sorted().toList(),
        "each online user once, whatever their number of connections");
  }

  @Test
  void leaveIsAnnouncedOnlyWhenTheUsersLastConnectionLeaves() {
    aliceInARoom();
    JdkSocket bob1 = server.joined(bob, room);
    JdkSocket bob2 = server.joined(bob, room);
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "join");

    bob1.send("type", "leave", "room", room);
    bob1.recorder().awaitType("left");
    bob2.say(room, "one of me is still here");
    aliceSocket.recorder().awaitMessage(room, "one of me is still here");
    assertEquals(List.of(), presenceOf(aliceSocket, bob.userId(), "leave"), "bob is still online");

    bob2.send("type", "leave", "room", room);
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "leave");
    JsonNode joined = server.signIn(server.newUser("late")).join(room);
    assertEquals(
        false,
        TestJson.texts(joined.path("online")).contains(bob.userId()),
        () -> "online: " + joined);
  }

  @Test
  void closingTheSocketCountsAsLeaving() {
    aliceInARoom();
    JdkSocket bobSocket = server.joined(bob, room);
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "join");
    bobSocket.disconnect();
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "leave");
  }

  @Test
  void droppingTheConnectionWithoutACloseCountsAsLeaving() {
    aliceInARoom();
    JdkSocket bobSocket = server.joined(bob, room);
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "join");
    bobSocket.abort();
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "leave");
  }

  @Test
  void aClosedConnectionOfAUserWithAnotherStillInTheRoomIsNoLeave() {
    aliceInARoom();
    JdkSocket bob1 = server.joined(bob, room);
    JdkSocket bob2 = server.joined(bob, room);
    aliceSocket.recorder().awaitPresence(room, bob.userId(), "join");
    bob1.disconnect();
    bob2.say(room, "still me");
    aliceSocket.recorder().awaitMessage(room, "still me");
    assertEquals(List.of(), presenceOf(aliceSocket, bob.userId(), "leave"));
  }
}
