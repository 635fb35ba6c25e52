package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code close()} says goodbye with 1001 to every socket and stops listening. */
class ServerCloseTest {
  @RegisterExtension final ChatServerExtension server = ChatServerExtension.create();

  @Test
  void closeSends1001ToEveryOpenSocket() {
    Rest.User alice = server.newUser("stayer");
    JdkSocket inRoom = server.joined(alice, "general");
    JdkSocket signedIn = server.signIn(server.newUser("idler"));
    JdkSocket fresh = server.open();

    server.server().close();

    assertEquals(1001, inRoom.recorder().awaitClose());
    assertEquals(1001, signedIn.recorder().awaitClose());
    assertEquals(1001, fresh.recorder().awaitClose());
  }

  @Test
  void closeIsIdempotentAndStopsAcceptingConnections() {
    int port = server.port();
    server.server().close();
    server.server().close();
    assertThrows(
        ConnectException.class,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
          }
        });
  }
}
