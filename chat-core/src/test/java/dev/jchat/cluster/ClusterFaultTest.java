package dev.jchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.ChildServer;
import dev.jchat.testing.ChildServerMain;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.PostgresCluster;
import dev.jchat.testing.RedisServer;
import dev.jchat.testing.Rest;
import dev.jchat.testing.Sender;
import dev.jchat.testing.Shown;
import dev.jchat.testing.TestJson;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes riding through faults, on a real PostgreSQL and a real Redis: Redis paused
 * (SIGSTOP) or killed and started again empty during traffic, and a node killed with SIGKILL. Acks
 * never wait for the bus; what the bus missed is read from the store, in order, without any client
 * reconnecting; a killed node's clients resume on another node, and its users go offline on the
 * others.
 */
class ClusterFaultTest {
  @TempDir Path dir;
  private RedisServer redis;
  private String database;
  private final HttpClient http = ChatServerExtension.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ChatServer> nodes = new ArrayList<>();
  private Rest rest;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  /** Two nodes on a new database of the shared PostgreSQL. */
  private void startNodes() {
    startNodes(PostgresCluster.shared().newDatabaseWithPassword());
  }

  private void startNodes(String url) {
    database = url;
    for (int i = 0; i < 2; i++) {
      ChatServer node =
          ChatServerExtension.start(
              dir.resolve("unused.db"),
              b -> b.database(database).bus(redis.url()).rateLimit(0).rooms(ChildServerMain.ROOMS));
      open.add(node);
      nodes.add(node);
    }
    rest = new Rest(http, nodes.get(0).port());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    redis.close();
  }

  private JdkSocket joined(int node, Rest.User user, String room) {
    JdkSocket socket = JdkSocket.signIn(http, nodes.get(node).port(), user.token());
    open.add(socket);
    socket.join(room);
    return socket;
  }

  /** Awaits {@code count} messages on {@code socket}, asserting seqs {@code from..} in order. */
  private static void awaitInOrder(JdkSocket socket, String room, long from, int count) {
    for (long seq = from; seq < from + count; seq++) {
      JsonNode m = socket.recorder().awaitMessageIn(room);
      assertEquals(seq, m.path("seq").asLong(), () -> "in order: " + m);
    }
  }

  @Test
  void whileRedisIsPausedSendsAreAckedAndEveryNodeDeliversEverythingInOrder() throws Exception {
    startNodes();
    Rest.User alice = rest.newUser("alice");
    Rest.User bob = rest.newUser("bob");
    String room = rest.newPublicRoom(alice);
    JdkSocket sender = joined(0, alice, room);
    JdkSocket watcher = joined(1, bob, room);
    sender.sendAll(room, "before-", 10);
    awaitInOrder(watcher, room, 1, 10);

    redis.pause();
    try {
      List<JsonNode> acks = sender.sendAll(room, "paused-", 50); // acks do not wait for the bus
      assertEquals(TestJson.range(11, 60), acks.stream().map(a -> a.path("seq").asLong()).toList());
      awaitInOrder(watcher, room, 11, 50); // read from the store by node 1
    } finally {
      redis.resume();
    }
    sender.sendAll(room, "after-", 10);
    awaitInOrder(watcher, room, 61, 10);
    watcher.roundTrip();
    assertNoMoreMessages(watcher);
  }

  @Test
  void redisKilledAndStartedAgainEmptyLosesNothingAndPresenceComesBack() throws Exception {
    startNodes();
    Rest.User alice = rest.newUser("alice");
    Rest.User bob = rest.newUser("bob");
    Rest.User carol = rest.newUser("carol");
    String room = rest.newPublicRoom(alice);
    JdkSocket sender = joined(0, alice, room);
    JdkSocket watcher = joined(1, bob, room);
    redis.kill();
    sender.sendAll(room, "down-", 30);
    awaitInOrder(watcher, room, 1, 30);
    redis.restart();
    sender.sendAll(room, "back-", 30);
    awaitInOrder(watcher, room, 31, 30);
    // the bus is back: a join on node 1 is announced on node 0, and node 0 knows bob again
    joined(1, carol, room);
    sender.recorder().awaitPresence(room, carol.userId(), "join");
    Await.until(
        "node 0 counts bob, carol and alice online again",
        () -> rest.get(Rest.roomPath(room), alice.token()).json().path("online").asInt() == 3);
    watcher.roundTrip();
    assertNoMoreMessages(watcher);
  }

  private static void assertNoMoreMessages(JdkSocket socket) {
    for (int left = socket.recorder().unconsumedFrames(); left > 0; left--) {
      JsonNode extra = socket.recorder().next();
      assertTrue(!"message".equals(extra.path("type").asText()), () -> "delivered twice: " + extra);
    }
  }

  @Test
  void aNodeKilledMidTrafficLosesNoAckedMessageAndItsClientsResumeOnAnother() throws Exception {
    startNodes();
    List<String> rooms = ChildServerMain.ROOMS;
    Rest.User watcherUser = rest.newUser("watcher");
    List<Rest.User> users = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      users.add(rest.newUser("sender" + i));
    }
    JdkSocket watcher = joined(0, watcherUser, rooms.get(0));
    Shown shown = new Shown();
    AtomicInteger acks = new AtomicInteger();
    List<Sender> senders = new ArrayList<>();
    try (ChildServer child =
        ChildServer.startNode(database, redis.url(), dir.resolve("child.log"))) {
      int port = child.port();
      for (int i = 0; i < users.size(); i++) {
        Rest.User u = users.get(i);
        Sender s =
            new Sender(u.userId(), u.token(), rooms.get(i), rooms, "first", Set.of(), shown, acks);
        senders.add(s);
        s.start(port);
      }
      for (Rest.User u : users) {
        watcher.recorder().awaitPresence(rooms.get(0), u.userId(), "join");
      }
      Await.until("acks before the kill", () -> acks.get() >= 300, Duration.ofSeconds(120));
      child.kill();
    }
    List<Set<String>> unacked = new ArrayList<>();
    for (Sender s : senders) {
      s.stop();
      s.abort();
      unacked.add(new HashSet<>(s.unacked));
    }
    // the killed node's users go offline on the others once its heartbeat expires
    for (Rest.User u : users) {
      watcher.recorder().awaitPresence(rooms.get(0), u.userId(), "leave");
    }
    // its clients resume on node 1, sending what was never acked again under the same refs
    AtomicInteger again = new AtomicInteger();
    List<Sender> resumed = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      Rest.User u = users.get(i);
      Sender s =
          new Sender(
              u.userId(), u.token(), rooms.get(i), rooms, "second", unacked.get(i), shown, again);
      resumed.add(s);
      s.start(nodes.get(1).port());
    }
    Await.until("acks after resuming", () -> again.get() >= 100, Duration.ofSeconds(120));
    for (Sender s : resumed) {
      s.stop();
    }
    for (int i = 0; i < users.size(); i++) {
      Set<String> carried = unacked.get(i);
      Sender s = resumed.get(i);
      Await.until("every resent ref acked", () -> s.acked.containsAll(carried));
      s.abort();
    }
    shown.assertStored(rest, watcherUser.token(), rooms, "after the kill");
  }

  @Test
  void postgresqlRestartedMakesSendsFailCleanlyAndThenWorkAgainWithoutANodeRestart() {
    PostgresCluster own = PostgresCluster.startOwn();
    open.add(own::stop);
    startNodes(own.newDatabaseWithPassword());
    Rest.User alice = rest.newUser("alice");
    Rest.User bob = rest.newUser("bob");
    String room = rest.newPublicRoom(alice);
    JdkSocket sender = joined(0, alice, room);
    JdkSocket watcher = joined(1, bob, room);
    sender.sendAll(room, "before-", 5);
    awaitInOrder(watcher, room, 1, 5);

    own.stopServer();
    try {
      sender.sendText(room, "refused", "ref-down");
      JsonNode refused = sender.recorder().awaitError("unavailable");
      assertEquals("ref-down", refused.path("ref").asText(), refused.toString());
      assertTrue(refused.path("retryAfterMs").asLong() > 0, refused.toString());
    } finally {
      own.startServer();
    }
    // the client retries by ref until the store answers again; no node was restarted
    Await.until(
        "a send is acked again",
        () -> {
          sender.sendText(room, "after the restart", "ref-up");
          JsonNode answer =
              sender
                  .recorder()
                  .await(f -> "ref-up".equals(f.path("ref").asText()), "ack or error for ref-up");
          return "ack".equals(answer.path("type").asText());
        },
        Duration.ofSeconds(60));
    JsonNode m = watcher.recorder().awaitMessageIn(room);
    assertEquals(6, m.path("seq").asLong(), m.toString());
    assertEquals("after the restart", m.path("text").asText());
  }
}
