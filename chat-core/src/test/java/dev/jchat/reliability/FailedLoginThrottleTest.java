package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.RawHttp;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing is throttled per user id (5 failures in 15 minutes) and per client address
 * (100), with 429 {@code rate_limited}. One user's failures must not lock other users out of a
 * shared address (a reverse proxy, a NAT, a load tool on one machine). Different client addresses
 * are real: the loopback network is 127.0.0.0/8, so the test connects from 127.0.0.2 and others.
 */
final class FailedLoginThrottleTest {
  @TempDir Path dir;
  private ChatServer server;
  private Rest api;

  @BeforeEach
  void start() {
    server = ChatServerExtension.start(dir.resolve("chat.db"), b -> b);
    api = new Rest(server.port());
    api.registered("alice", "alice-password");
    api.registered("bob", "bob-password");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawHttp.Response login(String from, String userId, String password) {
    String body = TestJson.object("userId", userId, "password", password);
    String request =
        "POST /api/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\nConnection: close\r\n\r\n"
            + body;
    try (RawHttp http = RawHttp.connect(server.port(), from)) {
      return http.send(request.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void fiveFailuresHoldBackThatAddressForThatUserIdButNotTheOwnerElsewhere() {
    for (int i = 0; i < 5; i++) {
      RawHttp.Response r = login("127.0.0.2", "alice", "wrong-password-" + i);
      assertEquals(401, r.status());
      assertEquals("unauthorized", r.errorCode());
    }
    RawHttp.Response locked = login("127.0.0.2", "alice", "alice-password");
    assertEquals(429, locked.status(), "even the right password waits, from that address");
    assertEquals("rate_limited", locked.errorCode());
    assertTrue(Long.parseLong(locked.headers().get("retry-after")) > 0, locked.head());
    assertEquals(
        201,
        login("127.0.0.3", "alice", "alice-password").status(),
        "a stranger's guesses do not lock the owner out");
  }

  @Test
  void oneUsersFailuresDoNotLockOthersOutOfTheSameAddress() {
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login("127.0.0.4", "alice", "wrong-password-" + i).status());
    }
    assertEquals(201, login("127.0.0.4", "bob", "bob-password").status());
  }

  @Test
  void manyFailuresFromOneAddressLockThatAddress() {
    for (int i = 0; i < 100; i++) {
      assertEquals(401, login("127.0.0.5", "guess" + i, "some-password").status());
    }
    RawHttp.Response locked = login("127.0.0.5", "bob", "bob-password");
    assertEquals(429, locked.status());
    assertEquals("rate_limited", locked.errorCode());
    assertEquals(
        201,
        login("127.0.0.6", "bob", "bob-password").status(),
        "other addresses are not affected");
  }

  @Test
  void unknownUserAndWrongPasswordLookTheSame() {
    RawHttp.Response unknown = login("127.0.0.7", "nobody", "some-password");
    RawHttp.Response wrong = login("127.0.0.7", "alice", "some-password");
    assertEquals(401, unknown.status());
    assertEquals(401, wrong.status());
    assertEquals(unknown.json().toString(), wrong.json().toString());
  }
}
