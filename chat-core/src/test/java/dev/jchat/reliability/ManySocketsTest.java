package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.RawWebSocket;
import dev.jchat.testing.Rest;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 raw chat sockets and 200 more on a single JDK WebSocket client at once with the default
 * settings, a few accounts shared among them the way load tools do: every one signs in, joins,
 * receives a broadcast with the sender's seq, and the server is back to no connections once they
 * go. (The 10,000-socket figure is measured with the load tool.)
 */
final class ManySocketsTest {
  private static final int SOCKETS = 2_000;
  private static final int JDK_SOCKETS = 200;
  private static final int ACCOUNTS = 4;

  @TempDir Path dir;

  @Test
  void thousandsOfSocketsSignInJoinAndAllReceiveABroadcast() {
    try (ChatServer server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b)) {
      Rest api = new Rest(server.port());
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        tokens.add(api.signUp("load" + i, "load-password"));
      }
      List<RawWebSocket> sockets = new ArrayList<>();
      List<JdkSocket> jdkSockets = new ArrayList<>();
      // one client for all: it reads every socket on its single selector thread
      HttpClient http = ChatServerExtension.newHttpClient();
      try {
        for (int i = 0; i < SOCKETS; i++) {
          String token = tokens.get(i % ACCOUNTS);
          sockets.add(
              RawWebSocket.connectPipelined(
                  server.port(),
                  RawWebSocket.frame(
                      RawWebSocket.FIN | RawWebSocket.TEXT,
                      utf8("{\"type\":\"hello\",\"token\":\"" + token + "\"}")),
                  RawWebSocket.frame(
                      RawWebSocket.FIN | RawWebSocket.TEXT,
                      utf8("{\"type\":\"join\",\"room\":\"general\"}"))));
        }
        for (RawWebSocket ws : sockets) {
          ws.readUpgradeResponse();
          assertEquals("welcome", ws.readJson().get("type").asText());
          assertEquals("joined", nextNotPresence(ws).get("type").asText());
        }
        for (int i = 0; i < JDK_SOCKETS; i++) {
          JdkSocket socket = JdkSocket.signIn(http, server.port(), tokens.get(i % ACCOUNTS));
          jdkSockets.add(socket);
          socket.join("general");
        }
        assertTrue(server.connectionCount() >= SOCKETS + JDK_SOCKETS);

        try (JdkSocket sender = JdkSocket.signIn(server.port(), tokens.get(0))) {
          sender.join("general");
          long seq = sender.say("general", "to all of them").get("seq").asLong();
          for (RawWebSocket ws : sockets) {
            JsonNode m = nextNotPresence(ws);
            assertEquals("message", m.get("type").asText());
            assertEquals(seq, m.get("seq").asLong());
          }
          for (JdkSocket socket : jdkSockets) {
            assertEquals(
                seq,
                socket.recorder().awaitMessage("general", "to all of them").get("seq").asLong());
          }
        }
      } finally {
        sockets.forEach(RawWebSocket::close);
        jdkSockets.forEach(JdkSocket::abort);
      }
      Await.until("every socket is gone", () -> server.connectionCount() <= 2);
    }
  }

  private static JsonNode nextNotPresence(RawWebSocket ws) {
    while (true) {
      JsonNode f = ws.readJson();
      if (!f.get("type").asText().equals("presence")) {
        return f;
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
