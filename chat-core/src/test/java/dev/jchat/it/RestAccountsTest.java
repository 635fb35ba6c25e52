package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.Ids;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /api/users}, {@code /api/sessions}, health, unknown paths and bearer checks. */
class RestAccountsTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private Rest rest() {
    return server.rest();
  }

  @Test
  void registeringANewUserAnswers201WithItsId() {
    String userId = Ids.unique("Al_ice.x");
    JsonNode body =
        rest()
            .post(
                "/api/users",
                null,
                TestJson.object(
                    "userId",
                    userId,
                    "password",
                    "12345678",
                    "name",
                    "Alice",
                    "email",
                    "a@example.com"))
            .assertStatus(201)
            .json();
    assertEquals(userId, body.path("userId").asText());
  }

  @Test
  void aUserIdOfExactly32AllowedCharactersIsAccepted() {
    String userId = (Ids.unique("x") + "_abcdefghijklmnopqrstuvwxyz0123456789").substring(0, 32);
    rest().register(userId, Rest.PASSWORD).assertStatus(201);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "has space",
        "slash/es",
        "ümlaut",
        "semi;colon",
        "abcdefghijklmnopqrstuvwxyz0123456"
      })
  void registeringAnInvalidUserIdIs400(String userId) {
    rest().register(userId, Rest.PASSWORD).assertError(400, "bad_request");
  }

  @Test
  void registeringWithAPasswordShorterThan8CharactersIs400() {
    rest().register(Ids.unique("shortpw"), "1234567").assertError(400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"userId\":",
        "not json",
        "[]",
        "{\"password\":\"12345678\"}",
        "{\"userId\":\"nopw\"}"
      })
  void registeringWithABodyThatIsNotAValidRequestIs400(String body) {
    rest().post("/api/users", null, body).assertError(400, "bad_request");
  }

  @Test
  void registeringATakenUserIdIs409() {
    String userId = Ids.unique("taken");
    rest().registered(userId);
    rest().register(userId, "another password").assertError(409, "conflict");
  }

  @Test
  void loggingInAnswers201WithATokenTheUserIdAndAFutureExpiry() {
    String userId = Ids.unique("login");
    rest().registered(userId);
    JsonNode body = rest().login(userId, Rest.PASSWORD).assertStatus(201).json();
    assertEquals(userId, body.path("userId").asText());
    String token = body.path("token").asText("");
    // at least 128 random bits: 22 characters of base64 or 32 of hex at the very least
    assertTrue(token.length() >= 22, () -> "token too short to hold 128 bits: " + token);
    assertFutureInstant(body.path("expiresAt"));
  }

  @Test
  void everyLoginGetsItsOwnToken() {
    String userId = Ids.unique("twice");
    rest().registered(userId);
    assertNotEquals(rest().token(userId), rest().token(userId));
  }

  @Test
  void loggingInWithAWrongPasswordIs401() {
    String userId = Ids.unique("wrongpw");
    rest().registered(userId);
    rest().login(userId, "not the password").assertError(401, "unauthorized");
  }

  @Test
  void loggingInAsAnUnknownUserIs401() {
    rest().login(Ids.unique("nobody"), Rest.PASSWORD).assertError(401, "unauthorized");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"userId\":", "{}", "{\"userId\":\"someone\"}"})
  void loggingInWithAMalformedBodyIs400(String body) {
    rest().post("/api/sessions", null, body).assertError(400, "bad_request");
  }

  @Test
  void loggingOutAnswers204AndTheTokenStopsWorking() {
    Rest.User user = server.newUser("logout");
    rest().get("/api/rooms", user.token()).assertStatus(200);
    rest().delete("/api/sessions", user.token()).assertStatus(204);
    rest().get("/api/rooms", user.token()).assertError(401, "unauthorized");
    rest().delete("/api/sessions", user.token()).assertError(401, "unauthorized");
  }

  @Test
  void loggingOutWithoutATokenIs401() {
    rest().delete("/api/sessions", null).assertError(401, "unauthorized");
  }

  @Test
  void loggingOutEndsOnlyThatSessionAndClosesItsSocketsWith1008() {
    Rest.User first = server.newUser("twosessions");
    String second = rest().token(first.userId());
    String room = rest().newPublicRoom(first);
    JdkSocket firstSocket = server.joined(first, room);
    JdkSocket secondSocket = server.signIn(second);
    secondSocket.join(room);

    rest().delete("/api/sessions", first.token()).assertStatus(204);

    firstSocket.recorder().awaitError("unauthorized"); // docs/protocol.md: said before closing
    assertEquals(1008, firstSocket.recorder().awaitClose());
    rest().get("/api/rooms", second).assertStatus(200);
    JsonNode ack = secondSocket.say(room, "still here");
    secondSocket.recorder().awaitMessage(room, "still here");
    assertEquals(1, ack.path("seq").asLong());
  }

  @Test
  void healthAnswersOkWithoutAuthentication() {
    JsonNode body = rest().get("/api/health", null).assertStatus(200).json();
    assertEquals("ok", body.path("status").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/nope", "/api/rooms/x/y/z/w", "/api/users/extra/segments"})
  void anUnknownApiPathIs404WithTheErrorShape(String path) {
    Rest.User user = server.newUser("lost");
    rest().get(path, user.token()).assertError(404, "not_found");
  }

  @Test
  void aRequestWithoutABearerTokenIs401() {
    rest().get("/api/rooms", null).assertError(401, "unauthorized");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "garbage"})
  void aRequestWithABadAuthorizationHeaderIs401(String authorization) {
    rest().send("GET", "/api/rooms", authorization, null).assertError(401, "unauthorized");
  }

  private static void assertFutureInstant(JsonNode expiresAt) {
    Instant expiry;
    if (expiresAt.isNumber()) {
      expiry = Instant.ofEpochMilli(expiresAt.asLong());
    } else if (expiresAt.isTextual()) {
      expiry = Instant.parse(expiresAt.asText());
    } else {
      fail("expiresAt is neither epoch milliseconds nor an ISO-8601 instant: " + expiresAt);
      return;
    }
    assertTrue(expiry.isAfter(Instant.now()), () -> "expiresAt is not in the future: " + expiresAt);
  }
}
