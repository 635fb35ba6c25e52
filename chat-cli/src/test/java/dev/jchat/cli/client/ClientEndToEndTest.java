package dev.jchat.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import dev.jchat.ChatMessage;
import dev.jchat.ChatServer;
import dev.jchat.ChatSocket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The terminal client against a real embedded server, driven through JLine on piped terminals: two
 * users chat, sign-in problems, scripts, and a reconnect across a server restart.
 */
class ClientEndToEndTest {
  private static final ChatSession.Settings QUICK_RECONNECT =
      new ChatSession.Settings(Duration.ofMillis(50), Duration.ofMillis(500), 1000);
  private static final String PASSWORD = "password1";
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception ignored) {
        // closing what a failed test left behind
      }
    }
  }

  private ChatServer start(ChatServer.Builder builder) throws Exception {
    ChatServer server = builder.passwordIterations(1000).build().start();
    resources.add(server);
    return server;
  }

  private static ChatClient client(int port) {
    return ChatClient.builder().host("127.0.0.1").port(port).build();
  }

  private static void register(int port, String... users) {
    for (String user : users) {
      client(port).register(user, PASSWORD, user, null);
    }
  }

  /** A user at a terminal, signed in with {@code --user} and the password typed. */
  private record User(TestTerminal terminal, CompletableFuture<Integer> exit) {}

  private User open(int port, String user, ChatSession.Settings settings) {
    TestTerminal terminal = new TestTerminal();
    resources.add(terminal);
    CompletableFuture<Integer> exit =
        terminal.run(new ClientOptions("127.0.0.1", port, user, null, "general"), settings);
    return new User(terminal, exit);
  }

  private User signIn(int port, String user, ChatSession.Settings settings) {
    User u = open(port, user, settings);
    u.terminal().await("password for " + user + ": ");
    u.terminal().line(PASSWORD);
    u.terminal().await("joined general, online: ");
    return u;
  }

  @Test
  void membershipChangesShowAtOnceAndUpdateTheRooms() throws Exception {
    ChatServer server = start(ChatServer.builder().port(0).inMemoryDatabase());
    int port = server.port();
    register(port, "carol", "dave");
    TestTerminal dave = signIn(port, "dave", ChatSession.Settings.defaults()).terminal();
    ChatClient carol = client(port);
    carol.login("carol", PASSWORD);

    carol.createRoom("book-club", null, true, List.of("dave"));
    dave.await("carol added you to book-club; /join book-club to chat there");
    dave.line("/join book-club");
    int joined = dave.await("joined book-club, online: dave");

    carol.removeMember("book-club", "dave");
    dave.await("you were removed from book-club by carol; now in general", joined);
    dave.line("/switch book-club");
    dave.await("you are not in book-club");
  }

  @Test
  void twoUsersChatThroughTheirTerminals() throws Exception {
    ChatServer server = start(ChatServer.builder().port(0).inMemoryDatabase());
    int port = server.port();
    register(port, "bob");

    User aliceUser = open(port, null, ChatSession.Settings.defaults());
    TestTerminal alice = aliceUser.terminal();
    alice.await("Log in or register? ");
    alice.line("r");
    alice.await("choose a user id");
    alice.line("alice");
    alice.await("your name [alice]: ");
    alice.line("Alice");
    alice.await("email (optional): ");
    alice.line("");
    alice.await("choose a password");
    alice.line(PASSWORD);
    alice.await("repeat the password: ");
    alice.line(PASSWORD);
    alice.await("Signed in as alice.");
    int a = alice.await("joined general, online: alice");
    assertFalse(alice.screen().contains(PASSWORD), "passwords are masked");

    User bobUser = signIn(port, "bob", ChatSession.Settings.defaults());
    TestTerminal bob = bobUser.terminal();
    bob.await("joined general, online: alice, bob");
    alice.await("* bob joined general", a);

    alice.line("hello bob");
    bob.await("alice: hello bob");
    bob.line("hi alice");
    alice.await("bob: hi alice");
    assertTrue(alice.screen().contains("[general] > "), "the prompt shows the room");

    alice.line("/create \"Room 1\"");
    alice.await("created room Room 1");
    alice.await("joined Room 1, online: alice");
    bob.line("/join Room 1");
    bob.await("joined Room 1, online: alice, bob");
    alice.line("in room one");
    bob.await("alice: in room one");
    assertFalse(
        bob.screen().contains("[Room 1] alice: in room one"), "the current room is not named");

    bob.line("/switch general");
    bob.await("now in general");
    alice.line("while you look elsewhere");
    bob.await("[Room 1] alice: while you look elsewhere");

    bob.line("/who");
    bob.await("online in general: alice, bob");
    bob.line("/rooms");
    bob.await("-- 2 rooms --");
    bob.await("Room 1");
    bob.line("/frobnicate");
    bob.await("unknown command /frobnicate: type /help for the list");
    bob.line("/history 5");
    bob.await("no older messages in general");

    alice.line("/leave");
    alice.await("left Room 1; now in general");
    alice.line("/quit");
    assertEquals(0, aliceUser.exit().get(30, TimeUnit.SECONDS));
    bob.await("* alice left general");
    bob.endOfInput(); // Ctrl-D
    assertEquals(0, bobUser.exit().get(30, TimeUnit.SECONDS));
  }

  @Test
  void aWrongPasswordAndATakenUserIdEachGetOneLineAndAnotherTry() throws Exception {
    ChatServer server = start(ChatServer.builder().port(0).inMemoryDatabase());
    int port = server.port();
    register(port, "bob");

    User user = open(port, "bob", ChatSession.Settings.defaults());
    TestTerminal t = user.terminal();
    t.await("password for bob: ");
    t.line("not-the-password");
    int at = t.await("Wrong user id or password.");
    at = t.await("Log in or register? ", at);
    t.line("r");
    t.await("choose a user id", at);
    t.line("bob");
    t.await("your name [bob]: ", at);
    t.line("");
    t.await("email (optional): ", at);
    t.line("");
    at = t.await("choose a password", at);
    t.line("short");
    at = t.await("A password needs 8 characters or more.", at);
    t.line(PASSWORD);
    t.await("repeat the password: ", at);
    t.line(PASSWORD);
    at = t.await("The user id 'bob' is taken; choose another.", at);
    t.await("Log in or register? ", at);
    t.line("l");
    t.await("user id: ", at);
    t.line("bob");
    t.await("password for bob: ", at);
    t.line(PASSWORD);
    t.await("Signed in as bob.", at);
    t.await("joined general", at);
    assertFalse(t.screen().contains("Exception"), t.screen());
    t.endOfInput();
    assertEquals(0, user.exit().get(30, TimeUnit.SECONDS));
  }

  @Test
  void afterTheServerRestartsTheClientsReconnectAndShowWhatWasMissedOnce(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("chat.db");
    ChatServer first = start(ChatServer.builder().port(0).database(db));
    int port = first.port();
    register(port, "alice", "bob");
    TestTerminal alice = signIn(port, "alice", QUICK_RECONNECT).terminal();
    TestTerminal bob = signIn(port, "bob", QUICK_RECONNECT).terminal();
    alice.line("before the drop");
    bob.await("alice: before the drop");
    alice.await("alice: before the drop");

    first.close();
    int a = alice.await("connection lost");
    int b = bob.await("connection lost");
    bob.line("sent while offline");
    bob.await("offline: the message goes out once reconnected", b);

    ChatServer second = start(ChatServer.builder().port(port).database(db));
    assertNotNull(
        second.post("general", "bot", "posted while they were away").get(30, TimeUnit.SECONDS));
    alice.await("reconnected", a);
    bob.await("reconnected", b);
    alice.await("bob: sent while offline", a);
    alice.await("bot: posted while they were away", a);
    bob.await("bob: sent while offline", b);
    bob.await("bot: posted while they were away", b);

    // whatever came over a socket before this was shown before it
    alice.line("after the return");
    bob.await("alice: after the return");
    alice.await("alice: after the return");
    for (TestTerminal t : List.of(alice, bob)) {
      assertEquals(1, t.count("alice: before the drop"), t.screen());
      assertEquals(1, t.count("bob: sent while offline"), t.screen());
      assertEquals(1, t.count("bot: posted while they were away"), t.screen());
    }
    ChatClient reader = client(port);
    reader.login("alice", PASSWORD);
    List<ChatMessage> stored = reader.messages("general", 0, 0, 0);
    assertEquals(
        1,
        stored.stream().filter(m -> m.text().equals("sent while offline")).count(),
        "sent once, stored once");
  }

  @Test
  void aScriptSendsItsLinesAndExitsOnceTheyAreAcked() throws Exception {
    ChatServer server = start(ChatServer.builder().port(0).inMemoryDatabase());
    int port = server.port();
    register(port, "ci", "alice");
    ChatClient observer = client(port);
    observer.login("alice", PASSWORD);
    BlockingQueue<ChatMessage> seen = new LinkedBlockingQueue<>();
    ChatSocket socket =
        observer.connect(
            new ChatSocket.Listener() {
              @Override
              public void onMessage(ChatMessage message) {
                seen.add(message);
              }
            });
    resources.add(socket);
    socket.join("general").get(30, TimeUnit.SECONDS);

    Script ok =
        script(
            port,
            "build 1 done\n\nbuild 2 done\n",
            Map.of("CHAT_PASSWORD", PASSWORD),
            "--user",
            "ci");
    assertEquals(0, ok.exit(), ok.err());
    for (String expected : List.of("build 1 done", "build 2 done")) {
      ChatMessage m = seen.poll(30, TimeUnit.SECONDS);
      assertNotNull(m, "no message '" + expected + "'");
      assertEquals("ci", m.from());
      assertEquals(expected, m.text());
    }
    assertTrue(
        ok.out().contains(" ci: build 2 done"), "its own last line is shown too: " + ok.out());
    assertFalse(ok.out().contains("\u001b"), "plain lines");

    Script wrong = script(port, "x\n", Map.of("CHAT_PASSWORD", "wrong-password"), "--user", "ci");
    assertEquals(1, wrong.exit());
    assertEquals("chat client: wrong user id or password for ci", wrong.err().strip());

    Script nowhere =
        script(port, "x\n", Map.of("CHAT_PASSWORD", PASSWORD), "--user", "ci", "--room", "nowhere");
    assertEquals(1, nowhere.exit());
    assertTrue(nowhere.err().contains("cannot join nowhere"), nowhere.err());
  }

  private record Script(int exit, String out, String err) {}

  private static Script script(int port, String stdin, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var io =
        new ClientCommand.Io(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env,
            false,
            QUICK_RECONNECT);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--host", "127.0.0.1", String.valueOf(port)));
    int exit = new CommandLine(new ClientCommand(io)).execute(all.toArray(String[]::new));
    return new Script(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
