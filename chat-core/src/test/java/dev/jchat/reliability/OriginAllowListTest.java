package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.RawHttp;
import dev.jchat.testing.Rest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-site WebSocket hijacking: with an allow-list, a browser page from another origin cannot
 * open the chat socket (403 with the error shape), while clients that send no Origin at all (the
 * CLI, bots, load tools: not browsers) always can.
 */
final class OriginAllowListTest {
  @TempDir Path dir;
  private ChatServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  /** The upgrade with this Origin (null: none); returns the status. */
  private int upgrade(String origin) throws IOException {
    try (RawHttp http = RawHttp.connect(server.port())) {
      String request =
          "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + (origin == null ? "" : "Origin: " + origin + "\r\n")
              + "\r\n";
      RawHttp.Response r = http.send(request.getBytes(StandardCharsets.US_ASCII));
      if (r.status() != 101) {
        assertEquals("forbidden", r.errorCode());
        http.assertClosedByServer();
      }
      return r.status();
    }
  }

  @Test
  void onlyListedOriginsAndOriginlessClientsMayOpenTheSocket() throws IOException {
    server =
        ChatServerExtension.start(
            dir.resolve("chat.db"),
            b -> b.allowedOrigins(Set.of("https://chat.example.com", "http://localhost:8080")));
    assertEquals(101, upgrade("https://chat.example.com"));
    assertEquals(101, upgrade("http://localhost:8080"));
    assertEquals(101, upgrade(null), "no Origin: not a browser, allowed");

    assertEquals(403, upgrade("https://evil.example"));
    assertEquals(403, upgrade("https://chat.example.com.evil.example"));
    assertEquals(403, upgrade("http://chat.example.com"), "another scheme is another origin");
    assertEquals(403, upgrade("https://chat.example.com:8443"), "another port is another origin");
    assertEquals(403, upgrade("null"), "sandboxed pages and file: URLs send null");

    // the JDK client sends no Origin: a non-browser client signs in as usual
    String token = new Rest(server.port()).signUp("cli", "cli-password");
    try (JdkSocket s = JdkSocket.signIn(server.port(), token)) {
      assertEquals("joined", s.join("general").get("type").asText());
    }
  }

  @Test
  void withoutAnAllowListEveryOriginIsAccepted() throws IOException {
    server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b);
    assertEquals(101, upgrade("https://anywhere.example"));
    assertEquals(101, upgrade(null));
  }
}
