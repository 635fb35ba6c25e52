package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatClient;
import dev.jchat.ChatListener;
import dev.jchat.ChatServer;
import dev.jchat.internal.store.Database;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage faults injected into a real server, seen through the JDK's HttpClient and WebSocket:
 * while the store cannot write, sends, sign-ups and room changes get {@code unavailable} (503 with
 * Retry-After; on the socket with {@code retryAfterMs}) and nothing is acked; once it can write
 * again everything works without a restart, and every acked message is stored, gap-free.
 */
class StorageFaultTest {
  private static final String ROOM = "general";
  private static final String PASSWORD = "correct horse battery";

  @TempDir Path dir;
  ChatServer server;
  Rest api;
  JdkSocket socket;
  final HttpClient http = ChatServerExtension.newHttpClient();
  String token;

  /** ref to seq of every send the server acked. */
  final Map<String, Long> acked = new LinkedHashMap<>();

  /** How often the server was asked to store each text (the embedder hook sees every attempt). */
  final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  int refs;

  @BeforeEach
  void start(TestInfo test) {
    // Counting attempts takes a listener with beforeMessage, which moves sends off the event
    // loop's fast path: only the test that needs the count has one.
    boolean count = test.getDisplayName().startsWith("chatClient");
    ChatListener counter =
        new ChatListener() {
          @Override
          public String beforeMessage(String roomId, String userId, String text) {
            attempts.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
            return null;
          }
        };
    // SQLite's faults on an SQLite file, whatever store the other suites run on
    Path file = dir.resolve("chat.db");
    server =
        ChatServerExtension.start(
            file,
            b ->
                count
                    ? b.database(file).rateLimit(0).listener(counter)
                    : b.database(file).rateLimit(0));
    api = new Rest(http, server.port());
    token = api.signUp("alice", PASSWORD);
    socket = JdkSocket.signIn(http, server.port(), token);
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
  void aFullDatabaseRefusesWritesUntilItHasRoomAgain() {
    Database db = databaseOf(server);
    db.limitPages(1); // SQLite max_page_count: never below the current size, so full from here

    JsonNode refusal = null;
    for (int i = 0; i < 10_000 && refusal == null; i++) {
      JsonNode answer = send("x".repeat(2_000), nextRef());
      if (answer.get("type").asText().equals("error")) {
        refusal = answer;
      }
    }
    assertNotNull(refusal, "the capped database never filled up");
    assertUnavailable(refusal);
    String refused = refusal.get("ref").asText();
    assertDegraded();
    Reply signUp = fillWithSignUps();
    assertEquals("unavailable", signUp.body().path("error").path("code").asText(), signUp.raw());
    assertNotNull(signUp.retryAfter(), "503 without Retry-After");

    db.limitPages(0);

    awaitHealthy();
    assertEquals("ack", send("the same message again", refused).get("type").asText());
    for (int i = 0; i < 5; i++) {
      assertEquals("ack", send("after " + i, nextRef()).get("type").asText());
    }
    api.signUp("bob", PASSWORD);
    assertEverythingAckedIsStoredGapFree();
  }

  @Test
  void aLockHeldPastTheBusyTimeoutRefusesWritesUntilItIsReleased() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals("ack", send("before " + i, nextRef()).get("type").asText());
    }
    String ref = nextRef();
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"));
        Statement backup = other.createStatement()) {
      backup.execute("BEGIN IMMEDIATE"); // a backup tool or another process holding the lock
      // each of these waits out the server's busy timeout, so they run side by side
      CompletableFuture<Reply> signUp =
          CompletableFuture.supplyAsync(() -> post("/api/users", signUpBody("carol"), null));
      CompletableFuture<Reply> newRoom =
          CompletableFuture.supplyAsync(
              () -> post("/api/rooms", "{\"roomId\":\"locked-out\"}", token));
      JsonNode answer = send("while locked", ref);
      assertUnavailable(answer);
      for (Reply r : List.of(signUp.join(), newRoom.join())) {
        assertEquals(503, r.status(), r.raw());
        assertEquals("unavailable", r.body().path("error").path("code").asText(), r.raw());
        assertNotNull(r.retryAfter(), "503 without Retry-After");
      }
      assertDegraded();
      backup.execute("COMMIT");
    }

    awaitHealthy();
    assertEquals("ack", send("while locked", ref).get("type").asText());
    assertEquals(201, post("/api/users", signUpBody("carol"), null).status());
    assertEquals(201, post("/api/rooms", "{\"roomId\":\"locked-out\"}", token).status());
    assertEverythingAckedIsStoredGapFree();
  }

  /**
   * Root ignores file permissions, so this fault cannot be made real when the tests run as root
   * (then the test is skipped). Without root: a running server keeps its files open, and Linux
   * checks permissions only when a file is opened, so writes may well go on; what must hold either
   * way is that no send is acked without being stored, and that full service follows the fault.
   */
  @Test
  void aDirectoryMadeReadOnlyNeverLosesAnAckedMessage() throws IOException {
    for (int i = 0; i < 3; i++) {
      assertEquals("ack", send("before " + i, nextRef()).get("type").asText());
    }
    var writable = Files.getPosixFilePermissions(dir);
    List<Path> files = databaseFiles();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    for (Path f : files) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
    }
    try {
      assumeFalse(canCreateFileIn(dir), "permissions are not enforced for this user (root)");
      for (int i = 0; i < 20; i++) {
        JsonNode answer = send("read-only " + i, nextRef());
        if (answer.get("type").asText().equals("error")) {
          assertUnavailable(answer);
        }
      }
    } finally {
      Files.setPosixFilePermissions(dir, writable);
      for (Path f : files) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    awaitHealthy();
    for (int i = 0; i < 3; i++) {
      assertEquals("ack", send("after " + i, nextRef()).get("type").asText());
    }
    assertEverythingAckedIsStoredGapFree();
  }

  @Test
  void chatClientSendsAreRetriedByRefUntilTheStoreCanWriteAgain() throws Exception {
    Database db = databaseOf(server);
    db.limitPages(1);
    fillUntilRefused();
    ChatClient client = ChatClient.builder().host("127.0.0.1").port(server.port()).build();
    client.login("alice", PASSWORD);
    try (dev.jchat.ChatSocket s = client.connect(new dev.jchat.ChatSocket.Listener() {})) {
      s.join(ROOM).get(20, TimeUnit.SECONDS);
      String text = "y".repeat(3_000); // bigger than the message the full database just refused
      CompletableFuture<dev.jchat.ChatSocket.Ack> ack = s.send(ROOM, text, "client-1");
      Await.until(
          "a refused first attempt and a retry",
          () -> attempts.get(text) != null && attempts.get(text).get() >= 2);
      assertTrue(!ack.isDone(), "acked while the database is full: " + ack);

      db.limitPages(0);

      dev.jchat.ChatSocket.Ack stored = ack.get(30, TimeUnit.SECONDS);
      acked.put("client-1", stored.seq());
      long copies =
          api.history(token, ROOM).stream()
              .filter(m -> m.get("text").asText().equals(text))
              .count();
      assertEquals(1, copies, "the retried message is stored once");
    }
    assertEverythingAckedIsStoredGapFree();
  }

  // --- steps ---

  /** Sends on the raw socket until the capped database refuses one. */
  private void fillUntilRefused() {
    for (int i = 0; i < 10_000; i++) {
      JsonNode answer = send("x".repeat(2_000), nextRef());
      if (answer.get("type").asText().equals("error")) {
        assertUnavailable(answer);
        return;
      }
    }
    throw new AssertionError("the capped database never filled up");
  }

  private String nextRef() {
    return "m-" + ++refs;
  }

  /** Sends and returns the server's answer to this ref: its {@code ack} or its {@code error}. */
  private JsonNode send(String text, String ref) {
    socket.sendText(ROOM, text, ref);
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
    Reply health = get("/api/health");
    assertEquals(503, health.status(), health.raw());
    assertEquals("degraded", health.body().get("status").asText(), health.raw());
    assertTrue(health.body().path("reason").asText().length() > 0, health.raw());
    Reply live = get("/api/health/live"); // liveness: a restart would not fix storage
    assertEquals(200, live.status(), live.raw());
  }

  private void awaitHealthy() {
    Await.until("GET /api/health answers 200 ok", () -> get("/api/health").status() == 200);
    assertEquals("ok", get("/api/health").body().get("status").asText());
  }

  /** Sign-ups with long names until the full database refuses one (small rows may still fit). */
  private Reply fillWithSignUps() {
    for (int i = 0; i < 10_000; i++) {
      Reply r = post("/api/users", signUpBody("filler" + i), null);
      if (r.status() != 201) {
        assertEquals(503, r.status(), r.raw());
        return r;
      }
    }
    throw new AssertionError("the full database took every sign-up");
  }

  private static String signUpBody(String userId) {
    return TestJson.MAPPER
        .createObjectNode()
        .put("userId", userId)
        .put("password", PASSWORD)
        .put("name", "n".repeat(100))
        .toString();
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
    assertTrue(history.size() >= acked.size(), "fewer messages stored than acked");
    for (long seq : acked.values()) {
      assertTrue(seq >= 1 && seq <= history.size(), "acked " + seq);
    }
    assertEquals(acked.size(), acked.values().stream().distinct().count(), "two acks, one seq");
  }

  // --- tiny helpers of this class ---

  record Reply(int status, JsonNode body, String raw, String retryAfter) {}

  private Reply get(String path) {
    return call(HttpRequest.newBuilder(uri(path)).GET(), null);
  }

  private Reply post(String path, String json, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    return call(b, bearer);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private Reply call(HttpRequest.Builder b, String bearer) {
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.timeout(Duration.ofSeconds(30));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? TestJson.MAPPER.nullNode() : TestJson.parse(r.body());
      return new Reply(
          r.statusCode(), body, r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<Path> databaseFiles() {
    List<Path> files = new ArrayList<>();
    for (String suffix : List.of("", "-wal", "-shm")) {
      Path f = dir.resolve("chat.db" + suffix);
      if (Files.exists(f)) {
        files.add(f);
      }
    }
    return files;
  }

  private static boolean canCreateFileIn(Path directory) {
    try {
      Files.delete(Files.createTempFile(directory, "probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The server's database, to cap its size: SQLite's max_page_count is a setting of each
   * connection, so no second connection can set it; this reaches the running server's own {@link
   * Database} without widening ChatServer's public API for a test.
   */
  static Database databaseOf(ChatServer server) {
    try {
      Object runtime = field(ChatServer.class, "runtime").get(server);
      return (Database) field(runtime.getClass(), "db").get(runtime);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot reach the server's database for the fault drill", e);
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
