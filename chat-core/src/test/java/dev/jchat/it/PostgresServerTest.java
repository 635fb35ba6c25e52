package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.PostgresCluster;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The whole server on a real PostgreSQL ({@link PostgresCluster}), over real sockets: accounts,
 * join with {@code since}, sends, ref dedupe, history, and a restart on the same database.
 */
class PostgresServerTest {
  @TempDir Path dir;
  private final HttpClient http = ChatServerExtension.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ChatServer start(String url) throws IOException {
    ChatServer server =
        ChatServerExtension.testBuilder(dir.resolve("unused.db")).database(url).build().start();
    open.add(server);
    return server;
  }

  private JdkSocket signIn(ChatServer server, Rest.User user) {
    JdkSocket socket = JdkSocket.signIn(http, server.port(), user.token());
    open.add(socket);
    return socket;
  }

  @Test
  void signUpLogInSendReadAndResumeAcrossARestart() throws Exception {
    String url = PostgresCluster.shared().newDatabaseWithPassword();
    ChatServer first = start(url);
    assertFalse(first.database().contains(PostgresCluster.shared().password()));
    Rest rest = new Rest(http, first.port());
    rest.registered("alice", "alice-password");
    rest.register("alice", "other-password").assertStatus(409);
    rest.login("alice", "wrong-password").assertStatus(401);
    Rest.User alice = new Rest.User("alice", rest.token("alice", "alice-password"));
    String room = rest.newPublicRoom(alice);
    JdkSocket socket = signIn(first, alice);
    socket.join(room);
    List<JsonNode> acks = socket.sendAll(room, "m", 5);
    assertEquals(TestJson.range(1, 5), acks.stream().map(a -> a.path("seq").asLong()).toList());

    socket.sendText(room, "again", "ref-1");
    JsonNode original = socket.recorder().awaitAck("ref-1");
    socket.sendText(room, "again, repeated", "ref-1");
    JsonNode repeat = socket.recorder().awaitAck("ref-1");
    assertEquals(original.path("seq"), repeat.path("seq"));
    assertEquals(6, original.path("seq").asLong());
    assertEquals(6, rest.history(alice.token(), room).size());
    first.close();

    ChatServer second = start(url);
    Rest again = new Rest(http, second.port());
    Rest.User back = new Rest.User("alice", again.token("alice", "alice-password"));
    JdkSocket resumed = signIn(second, back);
    JsonNode joined = resumed.join(room, 3L);
    assertEquals(TestJson.range(4, 6), TestJson.seqs(joined.path("history")));
    assertTrue(joined.path("complete").asBoolean(false), () -> "joined: " + joined);
    resumed.sendText(room, "late repeat", "ref-1");
    assertEquals(6, resumed.recorder().awaitAck("ref-1").path("seq").asLong());
    assertEquals(7, resumed.say(room, "after restart").path("seq").asLong());
    // the old session token still works: sessions live in PostgreSQL
    signIn(second, alice).join(room);
  }

  @Test
  void aHostProgramsDataSourceServesAsTheStore() throws Exception {
    PostgresCluster cluster = PostgresCluster.shared();
    String url = cluster.newDatabase();
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {"127.0.0.1"});
    source.setPortNumbers(new int[] {cluster.port()});
    source.setDatabaseName(url.substring(url.lastIndexOf('/') + 1));
    source.setUser(cluster.user());
    source.setPassword(cluster.password());
    ChatServer server =
        ChatServerExtension.testBuilder(dir.resolve("unused.db")).database(source).build().start();
    open.add(server);
    assertFalse(server.database().contains(cluster.password()));
    Rest rest = new Rest(http, server.port());
    Rest.User user = rest.newUser("pooled");
    try (JdkSocket socket = JdkSocket.signIn(http, server.port(), user.token())) {
      socket.join("general");
      assertEquals(1, socket.say("general", "through the host's DataSource").path("seq").asLong());
    }
    assertEquals(1, rest.history(user.token(), "general").size());
  }

  @Test
  void privateRoomsAndMembershipAreKept() throws Exception {
    ChatServer server = start(PostgresCluster.shared().newDatabaseWithPassword());
    Rest rest = new Rest(http, server.port());
    Rest.User owner = rest.newUser("owner");
    Rest.User guest = rest.newUser("guest");
    Rest.User stranger = rest.newUser("stranger");
    String secret = rest.newPrivateRoom(owner, guest.userId());
    rest.history(guest.token(), secret);
    rest.get("/api/rooms/" + Rest.encode(secret) + "/messages", stranger.token()).assertStatus(404);
  }

  @Test
  void anUnreachableDatabaseFailsTheStartInOneLineWithoutThePassword() {
    String url = "postgresql://jchat:not-this-secret@127.0.0.1:1/nowhere";
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                ChatServerExtension.testBuilder(dir.resolve("unused.db"))
                    .database(url)
                    .build()
                    .start());
    assertTrue(e.getMessage().contains("postgresql://jchat@127.0.0.1:1/nowhere"), e.getMessage());
    assertFalse(e.getMessage().contains("not-this-secret"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
