package dev.jchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.JoinCursors;
import dev.jchat.testing.PostgresCluster;
import dev.jchat.testing.RedisServer;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Three nodes on one real PostgreSQL database and one real Redis, as one chat server: one order per
 * room whichever node a message was sent to, presence, logout, membership removal and token expiry
 * across nodes. Every client is the JDK's WebSocket and HttpClient.
 */
class ClusterTest {
  private static RedisServer redis;
  @TempDir Path dir;
  private final HttpClient http = ChatServerExtension.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ChatServer> nodes = new ArrayList<>();
  private Rest rest;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Three nodes on a new database; the REST helper talks to the first. */
  private void startNodes(UnaryOperator<ChatServer.Builder> settings) {
    String url = PostgresCluster.shared().newDatabaseWithPassword();
    for (int i = 0; i < 3; i++) {
      ChatServer node =
          ChatServerExtension.start(
              dir.resolve("unused.db"),
              b -> settings.apply(b.database(url).bus(redis.url()).rateLimit(0)));
      open.add(node);
      nodes.add(node);
    }
    rest = new Rest(http, nodes.get(0).port());
  }

  private JdkSocket signIn(int node, Rest.User user) {
    JdkSocket socket = JdkSocket.signIn(http, nodes.get(node).port(), user.token());
    open.add(socket);
    return socket;
  }

  private JdkSocket joined(int node, Rest.User user, String room) {
    JdkSocket socket = signIn(node, user);
    socket.join(room);
    return socket;
  }

  @Test
  void messagesSentToEveryNodeAreSeenInOneGapFreeOrderOnEveryNodeEqualToHistory() throws Exception {
    startNodes(b -> b);
    Rest.User owner = rest.newUser("owner");
    String room = rest.newPublicRoom(owner); // created on node 0, used at once on 1 and 2
    List<JdkSocket> watchers = new ArrayList<>();
    List<JdkSocket> senders = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      watchers.add(joined(n, rest.newUser("watcher" + n), room));
      senders.add(joined(n, rest.newUser("sender" + n), room));
    }
    int each = 150;
    List<Thread> threads = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      JdkSocket sender = senders.get(n);
      String prefix = "node" + n + "-";
      Thread t = new Thread(() -> sender.sendAll(room, prefix, each), "sender-" + n);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    int total = 3 * each;
    List<JsonNode> history = rest.history(owner.token(), room);
    assertEquals(
        TestJson.range(1, total), history.stream().map(m -> m.path("seq").asLong()).toList());
    List<String> stored = history.stream().map(m -> m.path("text").asText()).toList();
    for (int n = 0; n < 3; n++) {
      List<Long> seqs = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        JsonNode m = watchers.get(n).recorder().awaitMessageIn(room);
        seqs.add(m.path("seq").asLong());
        texts.add(m.path("text").asText());
      }
      assertEquals(TestJson.range(1, total), seqs, "the order seen on node " + n);
      assertEquals(stored, texts, "the texts seen on node " + n);
      watchers.get(n).roundTrip();
      for (int left = watchers.get(n).recorder().unconsumedFrames(); left > 0; left--) {
        JsonNode extra = watchers.get(n).recorder().next();
        assertNotEquals(
            "message", extra.path("type").asText(), "twice on node " + n + ": " + extra);
      }
    }
  }

  @Test
  void presenceAndOnlineCountUsersOnEveryNode() {
    startNodes(b -> b);
    Rest.User alice = rest.newUser("alice");
    Rest.User bob = rest.newUser("bob");
    String room = rest.newPublicRoom(alice);
    JdkSocket a = joined(0, alice, room);
    Rest onOne = new Rest(http, nodes.get(1).port());
    Await.until("node 1 sees alice online", () -> online(onOne, bob, room) == 1);
    JdkSocket b = signIn(1, bob);
    JsonNode joined = b.join(room);
    assertEquals(
        List.of(alice.userId(), bob.userId()), TestJson.texts(joined.path("online")), "online");
    a.recorder().awaitPresence(room, bob.userId(), "join");
    assertEquals(2, online(rest, alice, room), "online as node 0 counts it");

    b.send("type", "leave", "room", room);
    a.recorder().awaitPresence(room, bob.userId(), "leave");
  }

  private static int online(Rest rest, Rest.User user, String room) {
    return rest.get(Rest.roomPath(room), user.token())
        .assertStatus(200)
        .json()
        .path("online")
        .asInt();
  }

  @Test
  void aLogoutOnOneNodeClosesTheSessionsSocketsOnTheOthers() {
    startNodes(b -> b);
    Rest.User alice = rest.newUser("alice");
    JdkSocket onOne = signIn(1, alice);
    JdkSocket onTwo = signIn(2, alice);
    rest.delete("/api/sessions", alice.token()).assertStatus(204);
    onOne.recorder().awaitError("unauthorized");
    assertEquals(1008, onOne.recorder().awaitClose());
    assertEquals(1008, onTwo.recorder().awaitClose());
  }

  @Test
  void aMemberRemovedOnOneNodeLeavesTheRoomOnTheOthers() {
    startNodes(b -> b);
    Rest.User carol = rest.newUser("carol");
    Rest.User dave = rest.newUser("dave");
    String room = rest.newPrivateRoom(carol, dave.userId());
    JdkSocket d = joined(2, dave, room);
    JdkSocket c = joined(1, carol, room);
    rest.delete(Rest.roomPath(room) + "/members/" + dave.userId(), carol.token()).assertStatus(204);
    JsonNode left = d.recorder().awaitType("left");
    assertEquals("removed", left.path("reason").asText(), left.toString());
    JsonNode membership = d.recorder().awaitType("membership");
    assertEquals("removed", membership.path("event").asText(), membership.toString());
    c.recorder().awaitPresence(room, dave.userId(), "leave");
    c.say(room, "dave is gone");
    d.roundTrip();
    d.send("type", "join", "room", room);
    d.recorder().awaitError("not_found");
  }

  @Test
  void aTokenIssuedOnOneNodeExpiresOnAnother() {
    startNodes(b -> b.tokenTtl(Duration.ofSeconds(5)));
    Rest.User alice = rest.newUser("alice");
    JdkSocket onTwo = signIn(2, alice);
    onTwo.recorder().awaitError("unauthorized");
    assertEquals(1008, onTwo.recorder().awaitClose());
  }

  @Test
  void aRefRepeatedOnAnotherNodeIsAnsweredWithTheOriginalAck() {
    startNodes(b -> b);
    Rest.User alice = rest.newUser("alice");
    String room = rest.newPublicRoom(alice);
    JdkSocket first = joined(0, alice, room);
    first.sendText(room, "once", "ref-x");
    JsonNode original = first.recorder().awaitAck("ref-x");
    JdkSocket second = joined(2, alice, room);
    second.sendText(room, "once, again", "ref-x");
    JsonNode repeat = second.recorder().awaitAck("ref-x");
    assertEquals(original.path("seq"), repeat.path("seq"));
    assertEquals(
        List.of("once"),
        rest.history(alice.token(), room).stream().map(m -> m.path("text").asText()).toList());
  }

  @Test
  void aJoinWithSinceOnAnotherNodeResumesExactly() {
    startNodes(b -> b);
    Rest.User alice = rest.newUser("alice");
    Rest.User bob = rest.newUser("bob");
    String room = rest.newPublicRoom(alice);
    JdkSocket sender = joined(0, alice, room);
    JdkSocket reader = joined(1, bob, room);
    sender.sendAll(room, "seen-", 10);
    long cursor = 0;
    for (int i = 0; i < 10; i++) {
      cursor = reader.recorder().awaitMessageIn(room).path("seq").asLong();
    }
    reader.abort();
    sender.sendAll(room, "missed-", 7);

    JdkSocket resumed = signIn(2, bob);
    JsonNode joined = resumed.join(room, cursor);
    assertEquals(TestJson.range(11, 17), TestJson.seqs(joined.path("history")));
    assertEquals(17, joined.path("lastSeq").asLong());
    sender.say(room, "live");
    assertEquals(18, resumed.recorder().awaitMessageIn(room).path("seq").asLong());
  }

  @Test
  void aBusNeedsASharedPostgresqlDatabase() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ChatServer.builder().database(dir.resolve("chat.db")).bus(redis.url()).build());
    assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ChatServer.builder().bus("http://cache:6379"));
  }

  @Test
  void joinsOnEveryNodeRacingSendsToEveryNodeGetExactCursors() throws Exception {
    startNodes(b -> b.historyCap(50));
    Rest.User owner = rest.newUser("owner");
    String room = rest.newPublicRoom(owner);
    List<JdkSocket> senders = new ArrayList<>();
    List<JdkSocket> joiners = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      senders.add(joined(n, rest.newUser("w" + n), room));
      joiners.add(signIn(n, rest.newUser("j" + n)));
    }
    ExecutorService threads = Executors.newFixedThreadPool(6);
    AtomicBoolean sending = new AtomicBoolean(true);
    try {
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (JdkSocket s : senders) {
        sends.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int sent = 0; sent < 1200; sent += 40) {
                    s.sendAll(room, "m", 40);
                  }
                },
                threads));
      }
      List<CompletableFuture<Integer>> joins = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        JdkSocket joiner = joiners.get(n);
        boolean withSince = n % 2 == 1;
        joins.add(
            CompletableFuture.supplyAsync(
                () -> JoinCursors.joinRepeatedly(joiner, room, withSince, sending), threads));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
      sending.set(false);
      for (CompletableFuture<Integer> j : joins) {
        assertTrue(j.get(60, TimeUnit.SECONDS) > 0);
      }
    } finally {
      sending.set(false);
      threads.shutdownNow();
    }
    for (JdkSocket joiner : joiners) {
      joiner.roundTrip();
      JoinCursors.assertExact(
          joiner.recorder().framesSoFar(f -> room.equals(f.path("room").asText())));
    }
  }

  @Test
  void aNodeThatStopsTakesItsUsersOfflineAndLeavesNothingInRedis() {
    startNodes(b -> b);
    Rest.User alice = rest.newUser("alice");
    Rest.User bob = rest.newUser("bob");
    String room = rest.newPublicRoom(alice);
    JdkSocket watcher = joined(0, alice, room);
    joined(2, bob, room);
    watcher.recorder().awaitPresence(room, bob.userId(), "join");
    ChatServer stopping = nodes.get(2);
    String node = stopping.bus().substring(stopping.bus().lastIndexOf(' ') + 1);
    try (Jedis redisClient = new Jedis(java.net.URI.create(redis.url()))) {
      assertTrue(redisClient.exists("jchat:presence:" + node), "the node's presence is there");
      stopping.close(); // returns once the node has said goodbye on the bus
      assertFalse(redisClient.exists("jchat:presence:" + node));
      assertNull(redisClient.zscore("jchat:nodes", node));
    }
    watcher.recorder().awaitPresence(room, bob.userId(), "leave");
  }

  @Test
  void failedLoginsOnEveryNodeCountTogether() {
    startNodes(b -> b.loginFailures(5));
    rest.registered("mallory-target", "the-right-password");
    for (int attempt = 0; attempt < 5; attempt++) {
      Rest node = new Rest(http, nodes.get(attempt % 3).port());
      node.login("mallory-target", "guess-" + attempt).assertError(401, "unauthorized");
    }
    for (int n = 0; n < 3; n++) {
      Rest node = new Rest(http, nodes.get(n).port());
      node.login("mallory-target", "the-right-password").assertError(429, "rate_limited");
    }
  }
}
