package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.RawHttp;
import dev.jchat.testing.RawWebSocket;
import dev.jchat.testing.Rest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every limit and timeout is configurable and, when exceeded, answered with a clear error: header
 * and body sizes, message size, text length, hello timeout, ping timeout, connection cap, per-user
 * message rate. Each test starts a server with small limits, so the edges are cheap to reach, and
 * checks both sides of each edge.
 */
final class LimitsTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;
  private Rest api;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<ChatServer.Builder> settings) {
    server = ChatServerExtension.start(dir.resolve("chat.db"), settings);
    api = new Rest(server.port());
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  private static String get(String path, String extraHeaders) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n";
  }

  private static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  /** A JSON object padded with spaces to exactly {@code size} bytes. */
  private static String padded(String json, int size) {
    return json + " ".repeat(size - json.length());
  }

  private static JsonNode nextAckOrError(JdkSocket s) {
    return s.recorder()
        .await(
            n -> n.path("type").asText().equals("ack") || n.path("type").asText().equals("error"),
            "an ack or an error");
  }

  // ---- HTTP ----

  @Test
  void headerSectionLimitIsConfigurableAndAnswered431() {
    start(b -> b.maxHeaderBytes(2048));
    String small = get("/api/health", "X-Pad: " + "a".repeat(1500) + "\r\n");
    assertEquals(200, RawHttp.exchange(server.port(), small).status());

    try (RawHttp http = RawHttp.connect(server.port())) {
      RawHttp.Response r =
          http.send(
              get("/api/health", "X-Pad: " + "a".repeat(3000) + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertEquals(431, r.status());
      assertEquals("too_large", r.errorCode());
      http.assertClosedByServer();
    }
    assertEquals(200, api.call("GET", "/api/health", null, null).status(), "the server goes on");
  }

  @Test
  void defaultHeaderLimitIs16KiB() {
    start(b -> b);
    assertEquals(
        200,
        RawHttp.exchange(server.port(), get("/api/health", "X-Pad: " + "a".repeat(15_000) + "\r\n"))
            .status());
    RawHttp.Response r =
        RawHttp.exchange(
            server.port(), get("/api/health", "X-Pad: " + "a".repeat(17_000) + "\r\n"));
    assertEquals(431, r.status());
    assertEquals("too_large", r.errorCode());
  }

  @Test
  void bodyLimitIsConfigurableAndAnswered413() {
    start(b -> b.maxBodyBytes(1024));
    String user = "{\"userId\":\"bounded\",\"password\":\"long-enough\"}";
    assertEquals(
        201, RawHttp.exchange(server.port(), post("/api/users", padded(user, 1024))).status());

    try (RawHttp http = RawHttp.connect(server.port())) {
      RawHttp.Response r =
          http.send(post("/api/users", padded(user, 1025)).getBytes(StandardCharsets.UTF_8));
      assertEquals(413, r.status());
      assertEquals("too_large", r.errorCode());
      http.assertClosedByServer();
    }
  }

  @Test
  void oversizeBodyIsRefusedFromItsDeclaredLengthWithoutWaitingForIt() {
    start(b -> b);
    // default 1 MiB; nothing after the head is sent, so only the declared length can explain 413
    String head =
        "POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
            + (1024 * 1024 + 1)
            + "\r\n\r\n";
    RawHttp.Response r = RawHttp.exchange(server.port(), head);
    assertEquals(413, r.status());
    assertEquals("too_large", r.errorCode());
    String absurd =
        "POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n";
    assertEquals(413, RawHttp.exchange(server.port(), absurd).status());
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    start(b -> b.maxBodyBytes(1024));
    String chunk = "a".repeat(600);
    String request =
        "POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "258\r\n"
            + chunk
            + "\r\n258\r\n"
            + chunk
            + "\r\n0\r\n\r\n";
    RawHttp.Response r = RawHttp.exchange(server.port(), request);
    assertEquals(413, r.status());
    assertEquals("too_large", r.errorCode());
  }

  // ---- the chat socket ----

  @Test
  void messageSizeLimitIsConfigurableAndCloses1009() {
    start(b -> b.maxMessageBytes(1000));
    String token = api.signUp("sizer", "sizer-password");
    try (RawWebSocket ws = RawWebSocket.connect(server.port()).hello(token)) {
      ws.sendText(padded("{\"type\":\"rooms\"}", 1000));
      assertEquals("rooms", ws.readJson().get("type").asText());
      ws.sendText(padded("{\"type\":\"rooms\"}", 1001));
      assertEquals(1009, ws.awaitCloseCode());
    }
  }

  @Test
  void textLengthIsCheckedInCharactersAfterTrimmingAndTheSocketStaysOpen() {
    start(b -> b);
    JdkSocket s = keep(JdkSocket.signIn(server.port(), api.signUp("writer", "writer-password")));
    s.join("general");

    s.sendText("general", "a".repeat(4000), "max");
    assertEquals("max", s.recorder().awaitType("ack").get("ref").asText());
    s.sendText("general", "\ud83d\ude00".repeat(4000), "emoji"); // 4,000 code points, 8,000 chars
    assertEquals("emoji", s.recorder().awaitType("ack").get("ref").asText());
    s.sendText("general", "   " + "b".repeat(4000) + "\n\t ", "trimmed");
    assertEquals("trimmed", s.recorder().awaitType("ack").get("ref").asText());

    s.sendText("general", "a".repeat(4001), "over");
    JsonNode error = s.recorder().awaitType("error");
    assertEquals("bad_request", error.get("code").asText());
    assertEquals("over", error.get("ref").asText());
    assertTrue(error.get("message").asText().contains("4000"), error.toString());
    s.sendText("general", " \n\t ", "blank");
    assertEquals("bad_request", s.recorder().awaitType("error").get("code").asText());

    s.sendText("general", "still here", "after");
    assertEquals("after", s.recorder().awaitType("ack").get("ref").asText());
    List<JsonNode> history = api.history(api.token("writer", "writer-password"), "general");
    assertEquals(4, history.size(), "nothing refused was stored");
    assertEquals("b".repeat(4000), history.get(2).get("text").asText());
  }

  @Test
  void textLengthIsConfigurable() {
    start(b -> b.maxTextLength(10));
    JdkSocket s = keep(JdkSocket.signIn(server.port(), api.signUp("writer", "writer-password")));
    s.join("general");
    s.sendText("general", "0123456789", "ten");
    assertEquals("ten", s.recorder().awaitType("ack").get("ref").asText());
    s.sendText("general", "0123456789x", "eleven");
    assertEquals("bad_request", s.recorder().awaitType("error").get("code").asText());
  }

  @Test
  void silentSocketIsClosedAfterTheHelloTimeout() {
    start(b -> b.helloTimeout(Duration.ofSeconds(1)));
    try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
      JsonNode error = ws.readJson();
      assertEquals("error", error.get("type").asText());
      assertEquals("unauthorized", error.get("code").asText());
      assertEquals(1008, ws.awaitCloseCode());
      assertTrue(ws.awaitEof());
    }
  }

  @Test
  void peerThatDoesNotAnswerPingsIsClosed() {
    start(b -> b.pingInterval(Duration.ofSeconds(1)));
    try (RawWebSocket ws =
        RawWebSocket.connect(server.port()).hello(api.signUp("mute", "mute-password"))) {
      RawWebSocket.Frame ping = ws.read();
      assertEquals(RawWebSocket.PING, ping.opcode());
      assertEquals(1008, ws.awaitCloseCode());
      assertTrue(ws.awaitEof());
    }
  }

  @Test
  void peerThatAnswersPingsStaysConnected() {
    start(b -> b.pingInterval(Duration.ofSeconds(1)));
    JdkSocket s = keep(JdkSocket.signIn(server.port(), api.signUp("alive", "alive-password")));
    for (int i = 0; i < 3; i++) {
      s.recorder().awaitPing(); // the JDK client answers each
    }
    assertFalse(s.recorder().ended());
    s.sendRaw("{\"type\":\"rooms\"}");
    assertEquals("rooms", s.recorder().awaitType("rooms").get("type").asText());
  }

  @Test
  void connectionsOverTheCapAreRefusedWith503AndAnErrorBody() {
    start(b -> b.maxConnections(3));
    List<RawHttp> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(keep(RawHttp.connect(server.port())));
    }
    Await.until("three connections open", () -> server.connectionCount() == 3);

    // a request the server never reads is waiting when it refuses: the 503 must still arrive
    for (int i = 0; i < 20; i++) {
      RawHttp.Response refused =
          RawHttp.exchange(
              server.port(), get("/api/health", "X-Pad: " + "p".repeat(10_000) + "\r\n"));
      assertEquals(503, refused.status());
      assertEquals("unavailable", refused.errorCode());
    }

    held.get(0).close();
    Await.until("a slot is free", () -> server.connectionCount() == 2);
    assertEquals(
        200, RawHttp.exchange(server.port(), get("/api/health", "Connection: close\r\n")).status());
  }

  // ---- message rate ----

  @Test
  void rateLimitIsPerUserAndLeavesTheSocketOpen() {
    start(b -> b.rateLimit(0.01)); // a burst of one, then one message per 100 s
    String aliceToken = api.signUp("alice", "alice-password");
    JdkSocket alice = keep(JdkSocket.signIn(server.port(), aliceToken));
    JdkSocket aliceAgain = keep(JdkSocket.signIn(server.port(), aliceToken));
    JdkSocket bob = keep(JdkSocket.signIn(server.port(), api.signUp("bob", "bob-password")));
    for (JdkSocket s : List.of(alice, aliceAgain, bob)) {
      s.join("general");
    }

    alice.sendText("general", "first", "a1");
    assertEquals("a1", alice.recorder().awaitType("ack").get("ref").asText());
    alice.sendText("general", "second", "a2");
    JsonNode limited = alice.recorder().awaitType("error");
    assertEquals("rate_limited", limited.get("code").asText());
    assertEquals("a2", limited.get("ref").asText());
    aliceAgain.sendText("general", "from another socket", "a3");
    assertEquals(
        "rate_limited",
        aliceAgain.recorder().awaitType("error").get("code").asText(),
        "the bucket is per user");

    bob.sendText("general", "bob is not limited by alice", "b1");
    assertEquals("b1", bob.recorder().awaitType("ack").get("ref").asText());
    alice.sendRaw("{\"type\":\"rooms\"}");
    alice.recorder().awaitType("rooms");
    assertFalse(alice.recorder().ended(), "a rate-limited socket stays open");
    assertEquals(2, api.history(aliceToken, "general").size(), "nothing rate-limited was stored");
  }

  @Test
  void rateLimitZeroTurnsItOff() {
    start(b -> b.rateLimit(0));
    JdkSocket s = keep(JdkSocket.signIn(server.port(), api.signUp("bench", "bench-password")));
    s.join("general");
    for (int i = 0; i < 500; i++) {
      s.sendText("general", "m" + i, "r" + i);
    }
    for (int i = 0; i < 500; i++) {
      JsonNode f = nextAckOrError(s);
      assertEquals("ack", f.get("type").asText(), f.toString());
    }
  }

  @Test
  void defaultRateLimitAllowsABurstThenSaysRateLimited() {
    start(b -> b);
    JdkSocket s = keep(JdkSocket.signIn(server.port(), api.signUp("burst", "burst-password")));
    s.join("general");
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      s.sendText("general", "m" + i, "r" + i);
    }
    int acks = 0;
    int limited = 0;
    for (int i = 0; i < 200; i++) {
      JsonNode f = nextAckOrError(s);
      if (f.get("type").asText().equals("ack")) {
        acks++;
      } else if (f.get("code").asText().equals("rate_limited")) {
        limited++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(200, acks + limited);
    assertTrue(acks >= 40, "a burst of 40 is allowed: " + acks);
    // a bucket of 40 refilled at 20/s: a slower machine only makes this bound looser
    assertTrue(acks <= 40 + 20 * seconds + 1, acks + " acks in " + seconds + " s");
  }
}
