package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The first exchange on the chat socket: {@code hello}, {@code welcome}, and refusals. */
class SocketHandshakeTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  @Test
  void helloIsAnsweredWithWelcomeNamingTheUserAndTheServer() {
    Rest.User user = server.newUser("greeter");
    JsonNode welcome = server.open().hello(user.token());
    assertEquals(user.userId(), welcome.path("userId").asText());
    String name = welcome.path("server").asText("");
    assertTrue(
        name.matches("[^/\\s]+/[^/\\s]+"), () -> "server is not '<name>/<version>': " + welcome);
  }

  @Test
  void aBadTokenGetsUnauthorizedThenClose1008() {
    JdkSocket socket = server.open();
    socket.send("type", "hello", "token", "not-a-real-token");
    socket.recorder().awaitError("unauthorized");
    assertEquals(1008, socket.recorder().awaitClose());
  }

  @Test
  void aHelloWithoutATokenGetsUnauthorizedThenClose1008() {
    JdkSocket socket = server.open();
    socket.send("type", "hello");
    socket.recorder().awaitError("unauthorized");
    assertEquals(1008, socket.recorder().awaitClose());
  }

  @Test
  void aLoggedOutTokenGetsUnauthorizedThenClose1008() {
    Rest.User user = server.newUser("gone");
    server.rest().delete("/api/sessions", user.token()).assertStatus(204);
    JdkSocket socket = server.open();
    socket.send("type", "hello", "token", user.token());
    socket.recorder().awaitError("unauthorized");
    assertEquals(1008, socket.recorder().awaitClose());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"join\",\"room\":\"general\"}",
        "{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi\"}",
        "{\"type\":\"rooms\"}",
        "{\"type\":\"welcome\",\"userId\":\"x\"}"
      })
  void aFirstMessageOtherThanHelloGetsUnauthorizedThenClose1008(String firstMessage) {
    JdkSocket socket = server.open();
    socket.sendRaw(firstMessage);
    socket.recorder().awaitError("unauthorized");
    assertEquals(1008, socket.recorder().awaitClose());
    socket.recorder().assertNoFrameOfType("joined");
    socket.recorder().assertNoFrameOfType("rooms");
  }

  @Test
  void aValidTokenAfterARefusedFirstMessageIsTooLate() {
    Rest.User user = server.newUser("late");
    JdkSocket socket = server.open();
    socket.send("type", "rooms");
    socket.recorder().awaitError("unauthorized");
    assertEquals(1008, socket.recorder().awaitClose());
    socket.recorder().assertNoFrameOfType("welcome");
    assertEquals(
        user.userId(),
        server.open().hello(user.token()).path("userId").asText(),
        "a new socket still works");
  }

  @Test
  void aSecondHelloIsABadRequestAndTheSocketStaysOpen() {
    Rest.User user = server.newUser("twice");
    JdkSocket socket = server.signIn(user);
    socket.send("type", "hello", "token", user.token());
    socket.recorder().awaitError("bad_request"); // docs/protocol.md
    socket.roundTrip();
  }

  @Test
  void aSocketThatNeverSaysHelloIsClosedWith1008AfterTheHelloTimeout(@TempDir Path directory)
      throws IOException {
    ChatServer.Builder builder =
        ChatServerExtension.testBuilder(directory.resolve("chat.db"))
            .helloTimeout(Duration.ofMillis(300));
    try (ChatServer quick = builder.build().start()) {
      JdkSocket silent = JdkSocket.open(server.http(), quick.port());
      silent.recorder().awaitError("unauthorized");
      assertEquals(1008, silent.recorder().awaitClose());
    }
  }
}
