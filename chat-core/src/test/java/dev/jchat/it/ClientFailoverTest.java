package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatServer;
import dev.jchat.ChatSocket;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.ChildServer;
import dev.jchat.testing.ChildServerMain;
import dev.jchat.testing.PostgresCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChatClient} with several servers: nodes on one real PostgreSQL database ({@link
 * PostgresCluster}), over real sockets. A node in a child JVM is killed with SIGKILL while the
 * client sends; the client moves on past a server that is down to the next live one, resumes with
 * {@code since} and repeats its unacked sends with their refs: it sees every message once and in
 * order, every send is acked, and history holds each message once.
 */
class ClientFailoverTest {
  private static final String PASSWORD = "failover-password";
  private static final String ROOM = ChildServerMain.ROOMS.get(0);
  private static final int TOTAL = 400;
  private static final int KILL_AFTER = 40;
  private static final int WINDOW = 50;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ChatServer node(String database) {
    ChatServer server =
        ChatServerExtension.start(
            dir.resolve("unused.db"),
            b -> b.database(database).rooms(ChildServerMain.ROOMS).rateLimit(0));
    open.add(server);
    return server;
  }

  private static ChatClient client(int... ports) {
    List<String> servers = new ArrayList<>();
    for (int port : ports) {
      servers.add("127.0.0.1:" + port);
    }
    return ChatClient.builder().servers(servers).timeout(Duration.ofSeconds(20)).build();
  }

  @Test
  void restCallsAndSocketsMoveOnPastAServerThatIsDown() throws Exception {
    String database = PostgresCluster.shared().newDatabaseWithPassword();
    ChatServer b = node(database);
    ChatServer c = node(database);
    int down = closedPort();
    ChatClient alice = client(down, b.port(), c.port());

    assertEquals("alice", alice.register("alice", PASSWORD, null, null));
    assertEquals(URI.create("http://127.0.0.1:" + b.port()), alice.address(), "b served");
    alice.login("alice", PASSWORD);
    assertEquals("ok", alice.health());

    b.close(); // the client learns of it at its next call
    Recorder heard = new Recorder();
    ChatSocket socket = alice.connect(heard);
    open.add(socket);
    assertEquals(URI.create("http://127.0.0.1:" + c.port()), alice.address(), "c served");
    assertEquals(0, socket.join(ROOM, 0).get(30, TimeUnit.SECONDS).lastSeq());
    assertEquals(1, socket.send(ROOM, "on c", "ref-1").get(30, TimeUnit.SECONDS).seq());
    assertEquals(List.of("on c"), texts(alice.messages(ROOM, 0, 0, 0)));

    ChatClient nowhere = client(down, closedPort());
    ChatException e = assertThrows(ChatException.class, nowhere::health);
    assertEquals("unavailable", e.code());
    assertTrue(e.getMessage().contains("any of http://127.0.0.1:" + down), e.getMessage());
  }

  @Test
  void aClientOfAKilledNodeResumesOnTheNextWithEveryMessageOnceAndInOrder() throws Exception {
    String database = PostgresCluster.shared().newDatabaseWithPassword();
    ChildServer a = ChildServer.start(database, false, 0, dir.resolve("node-a.log"));
    open.add(a);
    int aPort = a.port();
    ChatServer b = node(database);
    ChatClient alice = client(aPort, closedPort(), b.port());
    alice.register("alice", PASSWORD, null, null);
    alice.login("alice", PASSWORD);
    assertEquals(aPort, alice.address().getPort(), "the first server serves while it is up");

    Recorder first = new Recorder();
    ChatSocket onA = alice.connect(first);
    onA.join(ROOM, 0).get(30, TimeUnit.SECONDS);
    Pipeline sends = Pipeline.start(i -> onA.send(ROOM, "m-" + i, "ref-" + i));
    Await.until("some acks from node a", () -> sends.acked() >= KILL_AFTER);
    a.kill(); // mid-traffic: what is unacked now is resent below
    first.closed.get(30, TimeUnit.SECONDS);
    sends.finish(); // the rest fail at once: the socket is closed

    Recorder second = new Recorder(first);
    ChatSocket onB = alice.connect(second);
    open.add(onB);
    assertEquals(b.port(), alice.address().getPort(), "moved past a and the dead one to b");
    onB.join(ROOM, first.lastSeq()).get(30, TimeUnit.SECONDS);
    int resent = 0;
    Map<Integer, Long> seqs = new HashMap<>();
    List<CompletableFuture<ChatSocket.Ack>> again = new ArrayList<>();
    for (int i = 0; i < TOTAL; i++) {
      CompletableFuture<ChatSocket.Ack> ack = sends.acks.get(i);
      if (ack.isCompletedExceptionally()) {
        again.add(onB.send(ROOM, "m-" + i, "ref-" + i)); // the same ref: stored once
        resent++;
      } else {
        again.add(ack);
      }
    }
    for (int i = 0; i < TOTAL; i++) {
      seqs.put(i, again.get(i).get(30, TimeUnit.SECONDS).seq());
    }
    int total = TOTAL;
    Await.until("every message on b's socket", () -> second.messages.size() >= total);
    System.out.printf("failover test: %d of %d sends resent on b%n", resent, TOTAL);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      expected.add("m-" + i);
      assertEquals(i + 1, seqs.get(i), "acked once, at its place in the room's order: m-" + i);
    }
    assertEquals(expected, texts(second.messages), "heard: each once, in order, no gap");
    assertEquals(expected, texts(stored(alice)), "stored: each once, in order");
  }

  @Test
  void aReconnectingSocketResumesByItselfOnTheNextNodeWhenItsNodeIsKilled() throws Exception {
    String database = PostgresCluster.shared().newDatabaseWithPassword();
    ChildServer a = ChildServer.start(database, false, 0, dir.resolve("node-a.log"));
    open.add(a);
    int aPort = a.port();
    ChatServer b = node(database);
    ChatClient alice = reconnecting(aPort, closedPort(), b.port());
    alice.register("alice", PASSWORD, null, null);
    alice.login("alice", PASSWORD);

    Heard heard = new Heard();
    ChatSocket socket = alice.connect(heard);
    open.add(socket);
    socket.join(ROOM, 0).get(30, TimeUnit.SECONDS);
    // generated refs: the socket resends them itself; sends made while it reconnects wait
    Pipeline sends = Pipeline.start(i -> socket.send(ROOM, "m-" + i));
    Await.until("some acks from node a", () -> sends.acked() >= KILL_AFTER);
    int ackedBeforeKill = sends.acked();
    a.kill();
    sends.finish();
    int total = TOTAL;
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      assertEquals(i + 1, sends.acks.get(i).get(60, TimeUnit.SECONDS).seq(), "acked once: m-" + i);
      expected.add("m-" + i);
    }
    Await.until("every message heard", () -> heard.messages.size() >= total);
    System.out.printf(
        "reconnecting failover: %d of %d acked before the kill%n", ackedBeforeKill, TOTAL);

    assertEquals(expected, texts(heard.messages), "heard: each once, in order, no gap");
    assertEquals(List.of(URI.create("http://127.0.0.1:" + b.port())), heard.reconnectedTo);
    assertEquals(1, heard.disconnects.get());
    assertTrue(socket.isOpen());
    assertEquals(expected, texts(stored(alice)), "stored: each once, in order");
  }

  @Test
  void aReconnectingSocketFillsWhatTheHistoryCapLeftOutWhenItResumes() throws Exception {
    String database = PostgresCluster.shared().newDatabaseWithPassword();
    ChatServer a = node(database);
    ChatServer b =
        ChatServerExtension.start(
            dir.resolve("unused.db"),
            builder ->
                builder.database(database).rooms(ChildServerMain.ROOMS).rateLimit(0).historyCap(5));
    open.add(b);
    ChatClient alice = reconnecting(a.port(), b.port());
    alice.register("alice", PASSWORD, null, null);
    alice.register("bob", PASSWORD, null, null);
    alice.login("alice", PASSWORD);
    ChatClient bob = client(b.port());
    bob.login("bob", PASSWORD);

    Heard heard = new Heard();
    ChatSocket socket = alice.connect(heard);
    open.add(socket);
    socket.join(ROOM, 0).get(30, TimeUnit.SECONDS);
    ChatSocket bobs = bob.connect(new ChatSocket.Listener() {});
    open.add(bobs);
    bobs.join(ROOM).get(30, TimeUnit.SECONDS);
    int missed = 260; // sent on b, whose sockets a does not hear of (no bus here)
    List<CompletableFuture<ChatSocket.Ack>> sent = new ArrayList<>();
    for (int i = 1; i <= missed; i++) {
      sent.add(bobs.send(ROOM, "b-" + i));
    }
    for (CompletableFuture<ChatSocket.Ack> ack : sent) {
      ack.get(30, TimeUnit.SECONDS);
    }
    assertTrue(heard.messages.isEmpty(), "node a's socket heard nothing of b's messages");

    a.close(); // 1001: the socket moves to b, which sends the newest 5 and pages for the rest
    Await.until("the missed messages", () -> heard.messages.size() >= missed);
    bobs.send(ROOM, "live").get(30, TimeUnit.SECONDS);
    Await.until("the live one", () -> heard.messages.size() >= missed + 1);

    List<Long> seqs = heard.messages.stream().map(ChatMessage::seq).toList();
    List<Long> expected = new ArrayList<>();
    for (long seq = 1; seq <= missed + 1; seq++) {
      expected.add(seq);
    }
    assertEquals(expected, seqs, "each once, in order");
    assertEquals("live", heard.messages.get(missed).text());
  }

  private static ChatClient reconnecting(int... ports) {
    List<String> servers = new ArrayList<>();
    for (int port : ports) {
      servers.add("127.0.0.1:" + port);
    }
    return ChatClient.builder()
        .servers(servers)
        .timeout(Duration.ofSeconds(20))
        .reconnect(true)
        .build();
  }

  /** What a reconnecting socket's listener hears. */
  private static final class Heard implements ChatSocket.Listener {
    final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
    final List<URI> reconnectedTo = new CopyOnWriteArrayList<>();
    final AtomicInteger disconnects = new AtomicInteger();

    @Override
    public void onJoined(ChatSocket.Joined joined) {
      messages.addAll(joined.history());
    }

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onDisconnected(int code, String reason) {
      disconnects.incrementAndGet();
    }

    @Override
    public void onReconnected(URI address) {
      reconnectedTo.add(address);
    }
  }

  /**
   * Sends {@code m-0} to {@code m-(TOTAL-1)} on a thread of its own, at most {@link #WINDOW}
   * without an answer at a time, so that sends are in flight whenever the test kills a node.
   */
  private static final class Pipeline {
    final Map<Integer, CompletableFuture<ChatSocket.Ack>> acks = new ConcurrentHashMap<>();
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicInteger acked = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    static Pipeline start(IntFunction<CompletableFuture<ChatSocket.Ack>> send) {
      Pipeline p = new Pipeline();
      Thread t = new Thread(() -> p.run(send), "failover-sender");
      t.setDaemon(true);
      t.start();
      return p;
    }

    private void run(IntFunction<CompletableFuture<ChatSocket.Ack>> send) {
      try {
        for (int i = 0; i < TOTAL; i++) {
          if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new AssertionError("no answer to " + WINDOW + " sends in 60 s");
          }
          CompletableFuture<ChatSocket.Ack> ack = send.apply(i);
          acks.put(i, ack);
          ack.whenComplete(
              (a, failure) -> {
                if (failure == null) {
                  acked.incrementAndGet();
                }
                window.release();
              });
        }
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }

    int acked() {
      return acked.get();
    }

    /** Waits until every message was sent (not necessarily answered). */
    void finish() throws Exception {
      done.get(120, TimeUnit.SECONDS);
    }
  }

  /** The room's whole history over REST, paging back from the newest. */
  private static List<ChatMessage> stored(ChatClient client) {
    List<ChatMessage> all = new ArrayList<>();
    List<ChatMessage> page = client.messages(ROOM, 0, 0, 200);
    while (!page.isEmpty()) {
      all.addAll(0, page);
      page = client.messages(ROOM, page.get(0).seq(), 0, 200);
    }
    return all;
  }

  private static List<String> texts(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::text).toList();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * What a client application keeps of one socket: the messages heard, in the order heard (the
   * history of each {@code joined}, then the live ones), carried on from an earlier socket's.
   */
  private static final class Recorder implements ChatSocket.Listener {
    final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    Recorder() {}

    Recorder(Recorder before) {
      messages.addAll(before.messages);
    }

    long lastSeq() {
      return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
    }

    @Override
    public void onJoined(ChatSocket.Joined joined) {
      messages.addAll(joined.history());
    }

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onClose(int code, String reason) {
      closed.complete(code);
    }
  }
}
