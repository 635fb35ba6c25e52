package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server pings idle sockets and closes those that do not answer (interval shortened here). */
class LivenessTest {
  @RegisterExtension
  static final ChatServerExtension server =
      ChatServerExtension.create(builder -> builder.pingInterval(Duration.ofMillis(200)));

  @Test
  void aClientThatAnswersPingsStaysConnected() {
    ChatSocket socket = server.signIn(server.newUser("lively"));
    for (int i = 0; i < 3; i++) socket.recorder().awaitPing(); // the JDK client answers each
    socket.roundTrip();
  }

  @Test
  void aClientThatNeverAnswersAPingIsDisconnected() throws IOException {
    try (RawWebSocket ws = RawWebSocket.signIn(server.port(), server.newUser("silent").token())) {
      ws.awaitPing();
      // docs/protocol.md: "closes with 1008 (ping timeout)"; fails if the server keeps it 10 s
      assertEquals(1008, ws.readUntilEnd(text -> {}));
    }
  }
}
