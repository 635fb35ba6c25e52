package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens expire. A time-to-live shorter than a millisecond makes a token expired from the moment it
 * is issued (its expiry is the issuing millisecond), so no waiting is needed.
 */
class TokenExpiryTest {
  @RegisterExtension
  static final ChatServerExtension server =
      ChatServerExtension.create(b -> b.tokenTtl(Duration.ofNanos(1)));

  @Test
  void anExpiredTokenIsUnauthorizedForRestAndForTheSocket() {
    Rest rest = server.rest();
    rest.register("expiring", "password123").assertStatus(201);
    Rest.Response login = rest.login("expiring", "password123").assertStatus(201);
    String token = login.json().path("token").asText();
    assertTrue(login.json().path("expiresAt").asLong() > 0);

    rest.get("/api/rooms", token).assertError(401, "unauthorized");

    JdkSocket socket = server.open();
    socket.send("type", "hello", "token", token);
    socket.recorder().awaitError("unauthorized");
    assertEquals(1008, socket.recorder().awaitClose());
  }
}
