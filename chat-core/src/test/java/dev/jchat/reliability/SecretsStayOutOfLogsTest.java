package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatListener;
import dev.jchat.ChatMessage;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.RawHttp;
import dev.jchat.testing.RawWebSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens and passwords never appear in the server's logs, at any level, in messages or in the
 * exceptions they carry. The server logs through System.Logger, which the JDK routes to
 * java.util.logging; a handler on the {@code dev.jchat} logger at level ALL captures it all while
 * registration, failed and good logins, REST calls, hello (good and bad), messages, errors from a
 * faulty listener, malformed requests and logout go by.
 */
final class SecretsStayOutOfLogsTest {
  private static final String PASSWORD = "Pa55-word-never-logged";
  private static final String WRONG_PASSWORD = "Wr0ng-password-never-logged";

  @TempDir Path dir;
  private final Logger jchat = Logger.getLogger("dev.jchat");
  private final List<String> logged = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          StringWriter text = new StringWriter();
          text.append(formatter.format(record));
          if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(text));
          }
          synchronized (logged) {
            logged.add(text.toString());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level previousLevel;
  private ChatServer server;

  @BeforeEach
  void captureLogs() {
    previousLevel = jchat.getLevel();
    jchat.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    jchat.addHandler(capture);
  }

  @AfterEach
  void restore() {
    if (server != null) {
      server.close();
    }
    jchat.removeHandler(capture);
    jchat.setLevel(previousLevel);
  }

  @Test
  void noTokenOrPasswordIsEverLogged() {
    ChatListener faulty =
        new ChatListener() {
          @Override
          public String beforeMessage(String roomId, String userId, String text) {
            throw new IllegalStateException("listener failed before " + text);
          }

          @Override
          public void onMessage(ChatMessage message) {
            throw new IllegalStateException("listener failed after " + message.text());
          }
        };
    server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b.listener(faulty));
    Rest api = new Rest(server.port());
    List<String> secrets = new ArrayList<>(List.of(PASSWORD, WRONG_PASSWORD));

    api.registered("secretive", PASSWORD);
    assertEquals(
        401,
        api.call(
                "POST",
                "/api/sessions",
                TestJson.object("userId", "secretive", "password", WRONG_PASSWORD),
                null)
            .status());
    assertEquals(
        401,
        api.call(
                "POST",
                "/api/sessions",
                TestJson.object("userId", "nobody", "password", PASSWORD),
                null)
            .status());
    String token = api.token("secretive", PASSWORD);
    String other = api.token("secretive", PASSWORD);
    secrets.add(token);
    secrets.add(other);
    String forged = token.substring(0, 20) + "forged-token-never-logged";
    secrets.add(forged);

    assertEquals(200, api.call("GET", "/api/rooms", null, token).status());
    assertEquals(401, api.call("GET", "/api/rooms", null, forged).status());
    assertEquals(
        400,
        api.call("POST", "/api/users", "{\"userId\":\"x\",\"password\":" + PASSWORD + "}", null)
            .status());
    assertEquals(
        400,
        RawHttp.exchange(
                server.port(),
                "GET /api/rooms HTTP/1.1\r\nAuthorization: Bearer "
                    + token
                    + "\r\nBad header\r\n\r\n")
            .status());

    try (JdkSocket s = JdkSocket.signIn(server.port(), token)) {
      s.join("general");
      s.sendText("general", "hello", "h1");
      s.recorder().awaitType("ack");
    }
    try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
      ws.sendText("{\"type\":\"hello\",\"token\":\"" + forged + "\"}");
      assertEquals("unauthorized", ws.readJson().get("code").asText());
    }
    try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
      ws.sendText(
          "{\"type\":\"hello\",\"token\":\"" + token + "\",\"password\":\"" + PASSWORD + "\"");
      assertEquals("unauthorized", ws.readJson().get("code").asText());
    }
    JdkSocket live = JdkSocket.signIn(server.port(), other);
    assertEquals(204, api.call("DELETE", "/api/sessions", null, other).status());
    assertEquals(1008, live.recorder().awaitClose());
    assertEquals(401, api.call("GET", "/api/rooms", null, other).status());
    server.close();
    server = null;

    String all;
    synchronized (logged) {
      all = String.join("\n", logged);
    }
    assertTrue(
        all.contains("listener failed"),
        "the capture works: the faulty listener was logged\n" + all);
    for (String secret : secrets) {
      assertFalse(all.contains(secret), "a secret was logged: " + secret + "\n" + all);
      assertFalse(
          all.contains(
              new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                  .substring(0, 12)),
          "a prefix of a secret was logged");
    }
  }
}
