package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fan-out at scale: a thousand sockets in one room, one message, everyone gets it. */
class ManyConnectionsTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private static final int CONNECTIONS = 1000;
  private static final int USERS = 10;
  private static final int OPENING_AT_ONCE = 16;

  @Test
  void aThousandSocketsInOneRoomAllReceiveABroadcast() throws Exception {
    List<String> tokens = new ArrayList<>();
    Rest.User owner = server.newUser("crowd");
    tokens.add(owner.token());
    for (int i = 1; i < USERS; i++) tokens.add(server.newUser("crowd").token());
    String room = server.rest().newPublicRoom(owner);

    // one client, few threads: the listeners only queue, so four threads are plenty
    ExecutorService clientThreads = Executors.newFixedThreadPool(4);
    ExecutorService openers = Executors.newFixedThreadPool(OPENING_AT_ONCE);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    List<ChatSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<ChatSocket>> opening = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        String token = tokens.get(i % USERS);
        opening.add(
            openers.submit(
                () -> {
                  ChatSocket socket = ChatSocket.open(http, server.port());
                  sockets.add(socket);
                  socket.hello(token);
                  socket.join(room);
                  return socket;
                }));
      }
      List<ChatSocket> joined = new ArrayList<>();
      for (Future<ChatSocket> future : opening) joined.add(future.get(120, TimeUnit.SECONDS));

      JsonNode ack = joined.get(0).say(room, "hello, everyone");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int received = 0;
      for (ChatSocket socket : joined) {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        int index = received;
        JsonNode message =
            socket
                .recorder()
                .await(
                    frame ->
                        SocketRecorder.isMessageIn(frame, room)
                            && "hello, everyone".equals(frame.path("text").asText()),
                    "the broadcast on socket "
                        + index
                        + " ("
                        + received
                        + " of "
                        + CONNECTIONS
                        + " received it)",
                    left);
        assertEquals(ack.path("seq").asLong(), message.path("seq").asLong());
        received++;
      }
      assertEquals(CONNECTIONS, received);
    } finally {
      synchronized (sockets) {
        sockets.forEach(ChatSocket::abort);
      }
      openers.shutdownNow();
      clientThreads.shutdownNow();
    }
  }
}
