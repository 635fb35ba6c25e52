package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import dev.jchat.ChatMessage;
import dev.jchat.ChatServer;
import dev.jchat.ChatSocket;
import dev.jchat.cli.ChildChatServer;
import dev.jchat.testing.PostgresCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The terminal client given several servers ({@code --server}): nodes on one real PostgreSQL
 * database. The node it chats on ({@code chat server} in a child JVM) is killed with SIGKILL while
 * messages typed still wait for their acks; the client reconnects to the next node, shows what it
 * missed there, and sends what was not acked again with the same refs: every line shows once and in
 * order, and history holds each once.
 */
class ConsoleFailoverTest {
  private static final ChatSession.Settings QUICK_RECONNECT =
      new ChatSession.Settings(Duration.ofMillis(50), Duration.ofMillis(500), 1000);
  private static final String PASSWORD = "password1";
  private static final int LINES = 12;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void whenItsNodeIsKilledTheClientMovesToTheNextAndShowsEveryMessageOnceInOrder()
      throws Exception {
    String database = PostgresCluster.shared().newDatabaseWithPassword();
    ChildChatServer a = ChildChatServer.startOn(database, "--metrics", "off");
    resources.add(a);
    ChatServer b =
        ChatServer.builder()
            .host("127.0.0.1")
            .port(0)
            .database(database)
            .passwordIterations(1000)
            .build()
            .start();
    resources.add(b);
    ChatClient bot = ChatClient.builder().host("127.0.0.1").port(b.port()).build();
    bot.register("bot", PASSWORD, null, null);
    bot.register("alice", PASSWORD, null, null);
    bot.login("bot", PASSWORD);

    TestTerminal alice = new TestTerminal();
    resources.add(alice);
    List<String> servers = List.of("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
    alice.run(new ClientOptions(servers, 5200, "alice", null, "general"), QUICK_RECONNECT);
    alice.await("password for alice: ");
    alice.line(PASSWORD);
    alice.await("joined general, online: ");
    for (int i = 1; i <= LINES; i++) {
      alice.line(line("a", i));
    }
    alice.await("alice: " + line("a", LINES));
    for (int i = 1; i <= LINES; i++) {
      alice.line(line("b", i)); // one in flight at a time: most wait for their acks at the kill
    }
    alice.await("alice: " + line("b", 1));
    a.kill();
    int lost = alice.await("connection lost");
    post(bot, "posted on b during the move"); // missed, or heard live: shown once either way
    alice.await("reconnected to 127.0.0.1:" + b.port(), lost);
    alice.await("alice: " + line("b", LINES), lost);
    alice.await("bot: posted on b during the move", lost);
    alice.line("after the move");
    alice.await("alice: after the move", lost);

    List<String> expected = new ArrayList<>();
    for (String part : List.of("a", "b")) {
      for (int i = 1; i <= LINES; i++) {
        expected.add(line(part, i));
      }
    }
    String screen = alice.screen();
    int at = 0;
    for (String text : expected) {
      assertEquals(1, alice.count("alice: " + text), () -> text + " shown once:\n" + screen);
      int next = screen.indexOf("alice: " + text);
      assertTrue(next > at, () -> text + " shown in order:\n" + screen);
      at = next;
    }
    assertEquals(1, alice.count("bot: posted on b during the move"), screen);
    System.out.printf(
        "console failover: %d of %d lines shown before the connection was lost%n",
        screen.substring(0, lost).split("alice: b-", -1).length - 1, LINES);

    List<String> stored =
        bot.messages("general", 0, 0, 200).stream()
            .filter(m -> m.from().equals("alice"))
            .map(ChatMessage::text)
            .toList();
    expected.add("after the move");
    assertEquals(expected, stored, "stored once each, in the order typed");
  }

  private static void post(ChatClient client, String text) throws Exception {
    try (ChatSocket socket = client.connect(new ChatSocket.Listener() {})) {
      socket.join("general").get(30, TimeUnit.SECONDS);
      socket.send("general", text).get(30, TimeUnit.SECONDS);
    }
  }

  private static String line(String part, int i) {
    return String.format("%s-%02d", part, i);
  }
}
