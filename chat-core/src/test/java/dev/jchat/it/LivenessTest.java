package dev.jchat.it;

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
      ws.readUntilEnd(text -> { }); // returns once closed; fails if the server keeps it for 10 s
    }
  }
}
