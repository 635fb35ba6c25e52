package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatAdmin;
import dev.jchat.ChatException;
import dev.jchat.ChatMigration;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.PostgresCluster;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat migrate} round trip ({@link ChatMigration}): a chat built by a real server on SQLite,
 * copied to a real PostgreSQL ({@link PostgresCluster}), then served from there over real sockets:
 * old passwords and sessions work, {@code join} with {@code since} resumes exactly, a repeated ref
 * gets its original ack, a private room stays private, a disabled user stays disabled, and a second
 * copy into the now non-empty database is refused.
 */
class MigrationTest {
  private static final int IN_GENERAL = 1_500;
  private static final int IN_RANDOM = 1_000;

  @TempDir Path dir;
  private final HttpClient http = ChatServerExtension.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private JdkSocket signIn(ChatServer server, String token) {
    JdkSocket socket = JdkSocket.signIn(http, server.port(), token);
    open.add(socket);
    return socket;
  }

  @Test
  void aChatBuiltOnSqliteIsServedFromPostgresAfterTheCopy() throws Exception {
    Path file = dir.resolve("chat.db");
    ChatServer sqlite = ChatServerExtension.testBuilder(file).rateLimit(0).build().start();
    Rest rest = new Rest(http, sqlite.port());
    String aliceToken = rest.signUp("alice", "alice-password");
    String bobToken = rest.signUp("bob", "bob-password");
    rest.signUp("carol", "carol-password");
    String daveToken = rest.signUp("dave", "dave-password");
    Rest.User alice = new Rest.User("alice", aliceToken);
    String general = rest.newPublicRoom(alice);
    String random = rest.newPublicRoom(alice);
    String secret = rest.newPrivateRoom(alice, "bob");
    JdkSocket writer = JdkSocket.signIn(http, sqlite.port(), aliceToken);
    writer.join(general);
    writer.join(random);
    writer.join(secret);
    writer.sendAll(general, "g", IN_GENERAL);
    writer.sendAll(random, "r", IN_RANDOM);
    writer.sendText(general, "with a ref", "ref-general");
    long refSeq = writer.recorder().awaitAck("ref-general").path("seq").asLong();
    assertEquals(IN_GENERAL + 1, refSeq);
    writer.sendText(secret, "between us", "ref-secret");
    assertEquals(1, writer.recorder().awaitAck("ref-secret").path("seq").asLong());
    JsonNode before = rest.messages(aliceToken, general, "after=" + (IN_GENERAL - 40));
    assertEquals(41, before.size());
    writer.close();
    sqlite.close();
    long rooms;
    long sessions;
    try (ChatAdmin admin = ChatAdmin.open(file)) {
      assertTrue(admin.disable("carol"));
      rooms = admin.count("rooms"); // ours and the configured ones
      sessions = admin.count("sessions"); // carol's ended when she was disabled
    }
    assertEquals(3, sessions);

    PostgresCluster cluster = PostgresCluster.shared();
    String url = cluster.newDatabase(); // no password in it: passed beside
    List<String> progress = new ArrayList<>();
    ChatMigration.Summary summary =
        ChatMigration.copy(file, url, cluster.password(), progress::add);
    assertEquals(4, summary.users());
    assertEquals(sessions, summary.sessions());
    assertEquals(rooms, summary.rooms());
    assertEquals(IN_GENERAL + IN_RANDOM + 2, summary.messages());
    assertEquals(1, summary.disabledUsers());
    assertEquals(1, summary.adminEvents());
    String said = String.join("\n", progress) + "\n" + summary;
    assertFalse(said.contains(cluster.password()), said);
    assertTrue(summary.toString().contains(url), summary::toString);
    assertFalse(summary.toString().contains("\n"));

    String withPassword =
        url.replace(cluster.user() + "@", cluster.user() + ":" + cluster.password() + "@");
    ChatServer postgres =
        ChatServerExtension.testBuilder(dir.resolve("unused.db")).database(withPassword).build();
    open.add(postgres);
    postgres.start();
    Rest served = new Rest(http, postgres.port());
    served.login("alice", "wrong-password").assertStatus(401);
    String again = served.token("alice", "alice-password");
    served.login("carol", "carol-password").assertStatus(403);

    // the old session still works; join with since resumes exactly
    JdkSocket resumed = signIn(postgres, aliceToken);
    long since = IN_GENERAL - 40;
    JsonNode joined = resumed.join(general, since);
    assertEquals(TestJson.range(since + 1, IN_GENERAL + 1), TestJson.seqs(joined.path("history")));
    assertEquals(IN_GENERAL + 1, joined.path("lastSeq").asLong(), joined::toString);
    // senders, texts, timestamps as they were
    assertEquals(before, served.messages(again, general, "after=" + since));
    JsonNode otherRoom = resumed.join(random, (long) IN_RANDOM);
    assertEquals(0, otherRoom.path("history").size());
    assertEquals(IN_RANDOM, otherRoom.path("lastSeq").asLong());

    // a repeated ref is answered with its original ack; new sends continue the seqs
    resumed.sendText(general, "with a ref, repeated", "ref-general");
    assertEquals(refSeq, resumed.recorder().awaitAck("ref-general").path("seq").asLong());
    assertEquals(IN_GENERAL + 2, resumed.say(general, "after the move").path("seq").asLong());

    // the private room is still private
    JdkSocket bob = signIn(postgres, bobToken);
    assertEquals(List.of(1L), TestJson.seqs(bob.join(secret, 0L).path("history")));
    served.get("/api/rooms/" + Rest.encode(secret) + "/messages", daveToken).assertStatus(404);
    assertEquals(1, served.history(again, secret).size());

    // the target is no longer empty: a second copy is refused, and changes nothing
    ChatException refused =
        assertThrows(
            ChatException.class,
            () -> ChatMigration.copy(file, url, cluster.password(), line -> {}));
    assertTrue(refused.getMessage().contains("not empty"), refused::getMessage);
    assertFalse(refused.getMessage().contains(cluster.password()));
    assertEquals(IN_GENERAL + 2, served.history(again, general).size());
  }

  @Test
  void aFileThatIsNotAChatDatabaseIsRefused() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.db"), "not a database");
    String url = PostgresCluster.shared().newDatabaseWithPassword();
    ChatException refused =
        assertThrows(ChatException.class, () -> ChatMigration.copy(notes, url, null, line -> {}));
    assertTrue(refused.getMessage().contains("not a chat database"), refused::getMessage);
    ChatException missing =
        assertThrows(
            ChatException.class,
            () -> ChatMigration.copy(dir.resolve("missing.db"), url, null, line -> {}));
    assertTrue(missing.getMessage().contains("no such file"), missing::getMessage);
  }
}
