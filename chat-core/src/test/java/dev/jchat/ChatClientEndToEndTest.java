package dev.jchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ChatClient} and {@link ChatSocket} against a real server on port 0. */
class ChatClientEndToEndTest {
  private static final String PASSWORD = "password1";
  private ChatServer server;
  private ChatClient alice;
  private ChatClient bob;

  @BeforeEach
  void start() throws Exception {
    server =
        ChatServer.builder().port(0).inMemoryDatabase().passwordIterations(1000).build().start();
    alice = client();
    bob = client();
    assertEquals("alice", alice.register("alice", PASSWORD, "Alice", "alice@example.com"));
    assertEquals("bob", bob.register("bob", PASSWORD, null, null));
    alice.login("alice", PASSWORD);
    bob.login("bob", PASSWORD);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ChatClient client() {
    return ChatClient.builder().host("127.0.0.1").port(server.port()).build();
  }

  /** Records what a socket's listener hears, for waiting on. */
  static final class Recorder implements ChatSocket.Listener {
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> presence = new LinkedBlockingQueue<>();
    final BlockingQueue<ChatSocket.Joined> joined = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onPresence(String roomId, String userId, String event) {
      presence.add(roomId + " " + userId + " " + event);
    }

    @Override
    public void onJoined(ChatSocket.Joined j) {
      joined.add(j);
    }

    @Override
    public void onClose(int code, String reason) {
      closed.complete(code);
    }

    ChatMessage nextMessage() throws InterruptedException {
      ChatMessage m = messages.poll(30, TimeUnit.SECONDS);
      assertNotNull(m, "no message came");
      return m;
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  private static ChatException failure(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof ChatException, String.valueOf(e.getCause()));
    return (ChatException) e.getCause();
  }

  @Test
  void healthIsOk() {
    assertEquals("ok", alice.health());
  }

  @Test
  void loginKeepsTheSession() {
    ChatClient.Session session = alice.session();
    assertEquals("alice", session.userId());
    assertTrue(session.token().length() >= 16);
  }

  @Test
  void failuresCarryTheContractsCodes() {
    assertEquals(
        "unauthorized",
        assertThrows(ChatException.class, () -> client().login("alice", "wrong-password")).code());
    ChatException taken =
        assertThrows(ChatException.class, () -> client().register("alice", PASSWORD, null, null));
    assertEquals("conflict", taken.code());
    assertEquals(409, taken.status());
    assertEquals(
        "bad_request",
        assertThrows(ChatException.class, () -> client().register("carol", "short", null, null))
            .code());
    assertEquals("unauthorized", assertThrows(ChatException.class, () -> client().rooms()).code());
    assertEquals(
        "not_found", assertThrows(ChatException.class, () -> alice.room("nowhere")).code());
  }

  @Test
  void roomsCanBeCreatedListedAndTheirMembersChanged() {
    assertEquals("Room 1", alice.createRoom("Room 1", "The first", true, List.of("bob")));
    ChatRoom room = alice.room("Room 1");
    assertTrue(room.isPrivate());
    assertEquals(
        List.of("alice", "bob"), room.memberIds().stream().sorted().collect(Collectors.toList()));
    assertTrue(
        bob.rooms().stream().anyMatch(r -> r.roomId().equals("Room 1")),
        "a member sees the private room");

    bob.register("carol", PASSWORD, null, null);
    ChatClient carol = client();
    carol.login("carol", PASSWORD);
    assertFalse(
        carol.rooms().stream().anyMatch(r -> r.roomId().equals("Room 1")),
        "a private room is invisible to others");
    alice.addMember("Room 1", "carol");
    alice.addMember("Room 1", "carol");
    assertTrue(carol.rooms().stream().anyMatch(r -> r.roomId().equals("Room 1")));
    alice.removeMember("Room 1", "carol");
    assertFalse(carol.rooms().stream().anyMatch(r -> r.roomId().equals("Room 1")));
    assertEquals(
        "conflict",
        assertThrows(ChatException.class, () -> alice.createRoom("Room 1", null, false, List.of()))
            .code());
  }

  @Test
  void messagesAreSentAckedDeliveredAndReadBack() throws Exception {
    Recorder aliceHears = new Recorder();
    Recorder bobHears = new Recorder();
    try (ChatSocket a = alice.connect(aliceHears);
        ChatSocket b = bob.connect(bobHears)) {
      assertEquals("alice", a.userId());
      assertTrue(a.isOpen());
      ChatSocket.Joined joined = await(a.join("general"));
      assertEquals("general", joined.roomId());
      assertTrue(joined.online().contains("alice"));
      assertEquals(
          joined, aliceHears.joined.poll(30, TimeUnit.SECONDS), "the listener hears the join too");
      await(b.join("general"));
      assertEquals("general bob join", aliceHears.presence.poll(30, TimeUnit.SECONDS));

      ChatSocket.Ack ack = await(a.send("general", "hello", "my-ref-1"));
      assertEquals("my-ref-1", ack.ref());
      ChatMessage heard = bobHears.nextMessage();
      assertEquals(new ChatMessage("general", ack.seq(), "alice", "hello", ack.timestamp()), heard);
      assertEquals(heard, aliceHears.nextMessage(), "the sender hears its own message");

      ChatSocket.Ack repeat = await(a.send("general", "hello", "my-ref-1"));
      assertEquals(ack.seq(), repeat.seq(), "a repeated ref is stored once");
      ChatSocket.Ack second = await(a.send("general", "again"));
      assertEquals(ack.seq() + 1, second.seq());

      List<ChatMessage> history = await(b.history("general", second.seq(), 10));
      assertEquals(List.of(heard), history);
      assertEquals(
          List.of("hello", "again"),
          alice.messages("general", 0, ack.seq() - 1, 0).stream()
              .map(ChatMessage::text)
              .collect(Collectors.toList()));
      assertTrue(await(a.rooms()).stream().anyMatch(r -> r.roomId().equals("general")));

      try (ChatSocket again = alice.connect(new Recorder())) {
        ChatSocket.Joined rejoin = await(again.join("general", ack.seq()));
        assertEquals(
            List.of("again"),
            rejoin.history().stream().map(ChatMessage::text).collect(Collectors.toList()));
        assertTrue(rejoin.complete());
      }

      await(b.leave("general"));
      assertEquals("general bob leave", aliceHears.presence.poll(30, TimeUnit.SECONDS));
    }
    assertEquals(1000, aliceHears.closed.get(30, TimeUnit.SECONDS));
  }

  @Test
  void socketMistakesFailTheirRequestOnly() throws Exception {
    try (ChatSocket a = alice.connect(new Recorder())) {
      assertEquals("not_found", failure(a.join("nowhere")).code());
      ChatException notJoined = failure(a.send("general", "hello"));
      assertEquals("bad_request", notJoined.code());
      assertTrue(a.isOpen());
      await(a.join("general"));
      assertTrue(await(a.send("general", "still fine")).seq() > 0);
    }
  }

  @Test
  void aRefusedTokenIsUnauthorized() {
    ChatClient stranger = client();
    stranger.useSession(new ChatClient.Session("not-a-token", "alice", null));
    assertEquals(
        "unauthorized",
        assertThrows(ChatException.class, () -> stranger.connect(new Recorder())).code());
  }

  @Test
  void loggingOutEndsTheSessionAndClosesItsSockets() throws Exception {
    Recorder hears = new Recorder();
    ChatSocket socket = alice.connect(hears);
    alice.logout();
    assertEquals(null, alice.session());
    assertEquals(1008, hears.closed.get(30, TimeUnit.SECONDS));
    assertFalse(socket.isOpen());
    assertEquals("unavailable", failure(socket.join("general")).code());
  }

  @Test
  void aReconnectingSocketStopsForGoodWhenTheSessionEnds() throws Exception {
    ChatClient reconnecting =
        ChatClient.builder().host("127.0.0.1").port(server.port()).reconnect(true).build();
    reconnecting.login("alice", PASSWORD);
    Recorder hears = new Recorder();
    ChatSocket socket = reconnecting.connect(hears);
    socket.join("general").get(30, TimeUnit.SECONDS);
    reconnecting.logout();
    assertEquals(1008, hears.closed.get(30, TimeUnit.SECONDS));
    assertFalse(socket.isOpen());
    assertEquals("unavailable", failure(socket.send("general", "too late")).code());
    socket.close(); // idempotent: onClose was heard once
  }

  @Test
  void aReconnectingSocketClosedByItsOwnerSaysSoOnceAndFailsWhatWaits() throws Exception {
    ChatClient reconnecting =
        ChatClient.builder().host("127.0.0.1").port(server.port()).reconnect(true).build();
    reconnecting.login("alice", PASSWORD);
    List<Integer> closes = new java.util.concurrent.CopyOnWriteArrayList<>();
    ChatSocket socket =
        reconnecting.connect(
            new ChatSocket.Listener() {
              @Override
              public void onClose(int code, String reason) {
                closes.add(code);
              }
            });
    socket.join("general").get(30, TimeUnit.SECONDS);
    assertEquals(1, socket.send("general", "kept").get(30, TimeUnit.SECONDS).seq());
    socket.close();
    socket.close();
    assertEquals(List.of(1000), closes);
    assertEquals("unavailable", failure(socket.join("general")).code());
  }

  @Test
  void aClosingServerClosesTheSocketAndFailsWhatWaits() throws Exception {
    Recorder hears = new Recorder();
    ChatSocket socket = alice.connect(hears);
    server.close();
    assertEquals(1001, hears.closed.get(30, TimeUnit.SECONDS));
    assertEquals("unavailable", assertThrows(ChatException.class, () -> alice.rooms()).code());
    assertFalse(socket.isOpen());
  }
}
