package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.JdkSocket;
import dev.jchat.testing.Rest;
import dev.jchat.testing.Sender;
import dev.jchat.testing.Shown;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChatServer#close()} in the middle of heavy traffic: it returns; every client gets close
 * code 1001; what was queued is committed and acked before that close, so after a restart on the
 * same file the stored messages are exactly the acked ones, and everything shown is there.
 */
final class GracefulShutdownTest {
  private static final List<String> ROOMS = List.of("general", "second");

  @TempDir Path dir;

  @Test
  void closeUnderLoadCommitsWhatIsQueuedAndSays1001() throws Exception {
    Path db = dir.resolve("chat.db");
    ChatServer server = ChatServerExtension.start(db, b -> b.rooms(ROOMS).rateLimit(0));
    Rest api = new Rest(server.port());
    Shown shown = new Shown();
    AtomicInteger acks = new AtomicInteger();
    List<Sender> senders = new ArrayList<>();
    String token = null;
    for (int i = 0; i < 4; i++) {
      String t = api.signUp("user" + i, "shutdown-password");
      if (token == null) {
        token = t;
      }
      senders.add(new Sender("user" + i, t, ROOMS.get(i % 2), ROOMS, "s", Set.of(), shown, acks));
    }
    JdkSocket reader = JdkSocket.signIn(server.port(), api.signUp("reader", "reader-password"));
    reader.join("general");
    for (Sender s : senders) {
      s.start(server.port());
    }
    Await.until("traffic", () -> acks.get() >= 1000);

    Thread closing = new Thread(server::close, "closing");
    closing.start();
    closing.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(closing.isAlive(), "close() returns under load");

    for (Sender s : senders) {
      assertEquals(
          1001,
          s.closeCode.get(20, TimeUnit.SECONDS),
          s.user + " is told the server is going away");
      s.stop();
    }
    assertEquals(1001, reader.recorder().awaitClose());

    try (ChatServer again = ChatServerExtension.start(db, b -> b.rooms(ROOMS))) {
      Set<String> stored = shown.assertStored(new Rest(again.port()), token, ROOMS, "after close");
      Set<String> acked = new HashSet<>();
      for (Sender s : senders) {
        acked.addAll(s.acked);
      }
      assertEquals(
          acked, stored, "committed means acked: nothing queued was dropped or left unanswered");
    }
  }
}
