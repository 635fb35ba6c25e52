package dev.jchat.reliability;

import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.ChildServer;
import dev.jchat.testing.ChildServerMain;
import dev.jchat.testing.Rest;
import dev.jchat.testing.Sender;
import dev.jchat.testing.Shown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of heavy traffic loses nothing any client was acked or
 * shown. The server runs in a child JVM ({@link ChildServerMain}); several senders pipeline
 * messages into two rooms and record every {@code ack} and every delivered {@code message}; at a
 * random moment after a random number of acks the child is destroyed forcibly; a server started in
 * this JVM on the same file must then hold every recorded message under its seq with its text, with
 * no gap in seq and no text twice. Senders retry what was still unacknowledged with the same ref,
 * as a client that reconnects would, so a duplicate would show. Three rounds on one file, the last
 * with {@code fsync}.
 */
final class CrashDurabilityTest {
  private static final List<String> ROOMS = ChildServerMain.ROOMS;
  private static final int SENDERS = 4;
  private static final String PASSWORD = "crash-test-password";

  @TempDir Path dir;

  private final Shown shown = new Shown();

  @Test
  void nothingAckedOrDeliveredIsLostWhenTheServerIsKilled() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path db = dir.resolve("chat.db");
    List<String> tokens = null;
    Map<String, Set<String>> unacked = new HashMap<>();
    for (int round = 1; round <= 3; round++) {
      String context = "round " + round + ", seed " + seed;
      int killAfter = 200 + random.nextInt(1800);
      try (ChildServer child =
          ChildServer.start(db, round == 3, 0, dir.resolve("child-" + round + ".log"))) {
        int port = child.port();
        if (tokens == null) {
          tokens = signUp(port);
        }
        AtomicInteger acks = new AtomicInteger();
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
          String user = "user" + i;
          senders.add(
              new Sender(
                  user,
                  tokens.get(i),
                  ROOMS.get(i % ROOMS.size()),
                  ROOMS,
                  "r" + round,
                  unacked.getOrDefault(user, Set.of()),
                  shown,
                  acks));
        }
        for (Sender s : senders) {
          s.start(port);
        }
        Await.until(
            "acks before the kill (" + context + ")",
            () -> acks.get() >= killAfter,
            Duration.ofSeconds(120));
        child.kill();
        for (Sender s : senders) {
          s.stop();
          s.abort();
          unacked.put(s.user, new HashSet<>(s.unacked));
        }
        System.out.printf(
            "crash test %s: killed after %d acks (asked %d)%n", context, acks.get(), killAfter);
      }
      verifyAfterRestart(db, tokens.get(0), context);
    }
  }

  private List<String> signUp(int port) {
    Rest api = new Rest(port);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      tokens.add(api.signUp("user" + i, PASSWORD));
    }
    return tokens;
  }

  private void verifyAfterRestart(Path db, String token, String context) {
    try (ChatServer server = ChatServerExtension.start(db, b -> b.rooms(ROOMS))) {
      shown.assertStored(new Rest(server.port()), token, ROOMS, context);
    }
  }
}
