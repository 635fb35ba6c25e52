package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat admin} and {@code chat backup} against the database of a server running in a child
 * JVM: a disabled user's socket closes and their logins are refused, a revoked user's socket and
 * token stop working, and a backup taken while the server runs holds every acked message.
 */
class AdminCommandTest {
  private static final String PASSWORD = "correct horse battery";

  @TempDir Path dir;

  private final InProcessChat cli = new InProcessChat();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  @Test
  void disableClosesTheSocketsAndRefusesLoginsUntilEnabled() throws Exception {
    try (ChildChatServer server = ChildChatServer.start(dir, "--metrics", "off")) {
      String db = dir.resolve("chat.db").toString();
      ChatClient alice = client(server);
      alice.register("alice", PASSWORD, "Alice", null);
      alice.login("alice", PASSWORD);
      CompletableFuture<String> closed = new CompletableFuture<>();
      try (ChatSocket socket = alice.connect(closeRecorder(closed))) {
        socket.join("general").get(10, TimeUnit.SECONDS);

        assertEquals(0, cli.run("admin", "--db", db, "users"), err.toString());
        assertTrue(
            out.toString().matches("(?s).*\nalice +Alice +\\S+ \\S+ +active +1\n.*"),
            out.toString());

        assertEquals(0, cli.run("admin", "disable", "alice", "--db", db), err.toString());
        assertEquals(
            "1008 unauthorized: your account was disabled", closed.get(10, TimeUnit.SECONDS));
      }
      assertRefused(403, () -> client(server).login("alice", PASSWORD));
      assertEquals(0, cli.run("admin", "--db", db, "users"));
      assertTrue(out.toString().contains(" disabled "), out.toString());

      assertEquals(0, cli.run("admin", "--db", db, "enable", "alice"), err.toString());
      client(server).login("alice", PASSWORD);
    }
  }

  @Test
  void revokeEndsEverySessionOfTheUser() throws Exception {
    try (ChildChatServer server = ChildChatServer.start(dir, "--metrics", "off")) {
      String db = dir.resolve("chat.db").toString();
      ChatClient bob = client(server);
      bob.register("bob", PASSWORD, null, null);
      bob.login("bob", PASSWORD);
      CompletableFuture<String> closed = new CompletableFuture<>();
      try (ChatSocket socket = bob.connect(closeRecorder(closed))) {
        socket.join("general").get(10, TimeUnit.SECONDS);
        assertEquals(0, cli.run("admin", "revoke", "bob", "--db", db), err.toString());
        assertTrue(closed.get(10, TimeUnit.SECONDS).startsWith("1008 unauthorized: your sessions"));
      }
      assertRefused(401, bob::rooms);
      client(server).login("bob", PASSWORD); // not disabled: a new login works
      assertEquals(1, cli.run("admin", "revoke", "nobody", "--db", db));
      assertEquals("chat: no user 'nobody' in " + db + "\n", err.toString());
    }
  }

  @Test
  void aBackupTakenWhileTheServerRunsHoldsEveryAckedMessage() throws Exception {
    try (ChildChatServer server = ChildChatServer.start(dir, "--metrics", "off")) {
      ChatClient carol = client(server);
      carol.register("carol", PASSWORD, null, null);
      carol.login("carol", PASSWORD);
      List<String> acked = new ArrayList<>();
      try (ChatSocket socket = carol.connect(new ChatSocket.Listener() {})) {
        socket.join("general").get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 30; i++) {
          socket.send("general", "message " + i).get(10, TimeUnit.SECONDS);
          acked.add("message " + i);
        }
        Path backup = dir.resolve("backup.db");
        assertEquals(
            0,
            cli.run("backup", "--db", dir.resolve("chat.db").toString(), "--to", backup.toString()),
            err.toString());
        assertTrue(out.toString().contains(": 1 users, 1 rooms, 30 messages"), out.toString());
        assertEquals(acked, texts(backup));
        assertEquals(
            1,
            cli.run(
                "backup", "--db", dir.resolve("chat.db").toString(), "--to", backup.toString()));
        assertTrue(err.toString().contains("exists"), err.toString());
      }
    }
  }

  @Test
  void eachRefusesAFileThatIsNotAChatDatabaseWithOneLine() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    Path otherSqlite = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + otherSqlite);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x)");
    }
    for (Path bad : List.of(text, otherSqlite, dir.resolve("missing.db"))) {
      assertEquals(1, cli.run("admin", "--db", bad.toString(), "users"), bad.toString());
      assertOneLineRefusal(bad);
      assertEquals(
          1, cli.run("backup", "--db", bad.toString(), "--to", dir.resolve("b.db").toString()));
      assertOneLineRefusal(bad);
    }
    assertTrue(Files.notExists(dir.resolve("b.db")));
  }

  private void assertOneLineRefusal(Path bad) {
    String e = err.toString();
    assertTrue(e.startsWith("chat: ") && e.endsWith("\n") && e.lines().count() == 1, e);
    assertTrue(e.contains(bad.toString()), e);
    assertEquals("", out.toString());
  }

  private static ChatClient client(ChildChatServer server) {
    return ChatClient.builder().host("127.0.0.1").port(server.port()).build();
  }

  private static ChatSocket.Listener closeRecorder(CompletableFuture<String> closed) {
    return new ChatSocket.Listener() {
      private volatile String error = "";

      @Override
      public void onError(ChatException e) {
        error = e.code() + ": " + e.getMessage();
      }

      @Override
      public void onClose(int code, String reason) {
        closed.complete(code + " " + error);
      }
    };
  }

  private static void assertRefused(int status, Executable call) {
    try {
      call.execute();
    } catch (ChatException e) {
      assertEquals(status, e.status(), e.getMessage());
      return;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
    throw new AssertionError("not refused");
  }

  private static List<String> texts(Path db) throws Exception {
    List<String> texts = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        // the newest messages wait in recent_messages until the server folds them (Schema)
        ResultSet rows =
            s.executeQuery(
                "SELECT seq, text FROM messages UNION ALL SELECT seq, text FROM recent_messages"
                    + " ORDER BY seq")) {
      while (rows.next()) {
        texts.add(rows.getString(2));
      }
    }
    return texts;
  }
}
