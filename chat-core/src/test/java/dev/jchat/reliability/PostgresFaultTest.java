package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.PostgresCluster;
import dev.jchat.testing.Rest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's own faults, injected into a real server on a real PostgreSQL database ({@link
 * PostgresCluster}), the counterpart of {@link StorageFaultTest}'s SQLite ones: another session
 * holding the tables past the store's lock timeout, and the server's connections terminated under
 * traffic. While the store cannot write, sends, sign-ups and new rooms get {@code unavailable} and
 * nothing is acked; afterwards everything works without a restart, and every acked message is
 * stored once, gap-free.
 */
final class PostgresFaultTest {
  private static final String ROOM = "general";

  @TempDir Path dir;

  private String url;
  private ChatServer server;
  private Rest api;
  private JdkSocket socket;
  private String token;
  private int refs;

  /** ref to seq of every send the server acked. */
  private final Map<String, Long> acked = new LinkedHashMap<>();

  @BeforeEach
  void start() {
    url = PostgresCluster.shared().newChatDatabaseWithPassword();
    server = ChatServerExtension.start(dir.resolve("unused.db"), b -> b.database(url).rateLimit(0));
    api = new Rest(server.port());
    token = api.signUp("alice", Rest.PASSWORD);
    socket = JdkSocket.signIn(server.port(), token);
    socket.join(ROOM);
  }

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aLockHeldPastTheLockTimeoutRefusesWritesUntilItIsReleased() throws SQLException {
    for (int i = 0; i < 3; i++) {
      assertEquals("ack", send("before " + i, nextRef()).get("type").asText());
    }
    String ref = nextRef();
    try (Connection other = PostgresCluster.shared().connect(url);
        Statement operator = other.createStatement()) {
      other.setAutoCommit(false);
      // an operator's long transaction or a migration by hand: reads go on, writes wait
      operator.execute(
          "LOCK TABLE users, rooms, messages, health_probe IN EXCLUSIVE MODE"); // held to COMMIT
      // each of these waits out the store's lock timeout, so they run side by side
      CompletableFuture<Rest.Response> signUp =
          CompletableFuture.supplyAsync(() -> api.register("carol", Rest.PASSWORD));
      CompletableFuture<Rest.Response> newRoom =
          CompletableFuture.supplyAsync(
              () -> api.post("/api/rooms", token, "{\"roomId\":\"locked-out\"}"));
      assertUnavailable(send("while locked", ref));
      signUp.join().assertError(503, "unavailable");
      newRoom.join().assertError(503, "unavailable");
      assertDegraded();
      api.get(Rest.roomPath(ROOM), token).assertStatus(200); // reads are not refused
      other.commit();
    }

    awaitHealthy();
    assertEquals("ack", send("while locked", ref).get("type").asText());
    api.register("carol", Rest.PASSWORD).assertStatus(201);
    api.post("/api/rooms", token, "{\"roomId\":\"locked-out\"}").assertStatus(201);
    assertEverythingAckedIsStoredGapFree();
  }

  @Test
  void connectionsTerminatedUnderTrafficLoseNothingAckedAndTheStoreRecovers() throws SQLException {
    List<String> refused = new ArrayList<>();
    try (Connection operator = PostgresCluster.shared().connect(url)) {
      for (int round = 0; round < 50 && refused.isEmpty(); round++) {
        List<String> window = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          String ref = nextRef();
          window.add(ref);
          socket.sendText(ROOM, "round " + round + " " + ref, ref);
        }
        terminateServerConnections(operator);
        for (String ref : window) {
          JsonNode answer = answerTo(ref);
          if (answer.get("type").asText().equals("error")) {
            assertUnavailable(answer);
            refused.add(ref);
          }
        }
      }
    }
    assertTrue(!refused.isEmpty(), "no send met a terminated connection in 50 rounds");

    awaitHealthy();
    for (String ref : refused) {
      // a client retries with the same ref: a refused send whose commit went through anyway is
      // answered with the original, never stored twice
      assertEquals("ack", send("retry " + ref, ref).get("type").asText());
    }
    assertEquals("ack", send("after", nextRef()).get("type").asText());
    assertEverythingAckedIsStoredGapFree();
  }

  // --- steps ---

  /** What an operator's {@code pg_terminate_backend} or a failover does to the server's pool. */
  private static void terminateServerConnections(Connection operator) throws SQLException {
    try (Statement s = operator.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }
  }

  private String nextRef() {
    return "m-" + ++refs;
  }

  /** Sends and returns the server's answer to this ref: its {@code ack} or its {@code error}. */
  private JsonNode send(String text, String ref) {
    socket.sendText(ROOM, text, ref);
    return answerTo(ref);
  }

  /** The next answer to {@code ref} not yet seen; records an ack. */
  private JsonNode answerTo(String ref) {
    JsonNode answer =
        socket
            .recorder()
            .await(
                f ->
                    ref.equals(f.path("ref").asText(null))
                        && (f.path("type").asText().equals("ack")
                            || f.path("type").asText().equals("error")),
                "the answer to " + ref);
    if (answer.get("type").asText().equals("ack")) {
      acked.put(ref, answer.get("seq").asLong());
    }
    return answer;
  }

  private static void assertUnavailable(JsonNode error) {
    assertEquals("error", error.get("type").asText(), error.toString());
    assertEquals("unavailable", error.get("code").asText(), error.toString());
    assertTrue(error.path("retryAfterMs").asLong() > 0, error.toString());
  }

  private void assertDegraded() {
    Rest.Response health = api.get("/api/health", null);
    assertEquals(503, health.status(), health.body());
    assertEquals("degraded", health.json().get("status").asText(), health.body());
    api.get("/api/health/live", null).assertStatus(200);
  }

  private void awaitHealthy() {
    Await.until(
        "GET /api/health answers 200 ok", () -> api.get("/api/health", null).status() == 200);
  }

  /** Every acked ref is stored once at its acked seq, and the room's seqs run 1..n with no gap. */
  private void assertEverythingAckedIsStoredGapFree() {
    List<JsonNode> history = api.history(token, ROOM);
    List<Long> seqs = new ArrayList<>();
    history.forEach(m -> seqs.add(m.get("seq").asLong()));
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= history.size(); s++) {
      expected.add(s);
    }
    assertEquals(expected, seqs, "seqs are not 1..n");
    assertEquals(acked.size(), acked.values().stream().distinct().count(), "two acks, one seq");
    for (long seq : acked.values()) {
      assertTrue(seq >= 1 && seq <= history.size(), "acked " + seq);
    }
  }
}
