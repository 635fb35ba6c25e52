package dev.jchat.reliability;

import dev.jchat.ChatServer;
import dev.jchat.testing.Await;
import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.ChildServer;
import dev.jchat.testing.ChildServerMain;
import dev.jchat.testing.PostgresCluster;
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
 * as a client that reconnects would, so a duplicate would show. Three rounds on one SQLite file,
 * the last with {@code fsync}; two rounds on a real PostgreSQL database ({@link PostgresCluster}).
 */
final class CrashDurabilityTest {
  private static final List<String> ROOMS = ChildServerMain.ROOMS;
  private static final int SENDERS = 4;
  private static final String PASSWORD = "crash-test-password";

  @TempDir Path dir;

  private final Shown shown = new Shown();

  @Test
  void nothingAckedOrDeliveredIsLostWhenTheServerIsKilled() throws Exception {
    killRounds(dir.resolve("chat.db").toString(), 3, true);
  }

  @Test
  void nothingAckedOrDeliveredIsLostWhenAServerOnPostgresqlIsKilled() throws Exception {
    killRounds(PostgresCluster.shared().newDatabaseWithPassword(), 2, false);
  }

  /**
   * Kills a child server on {@code database} (a file path or a PostgreSQL URL) {@code rounds} times
   * under load, checking after each that everything acked or shown is stored.
   */
  private void killRounds(String database, int rounds, boolean fsyncLast) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> tokens = null;
    Map<String, Set<String>> unacked = new HashMap<>();
    for (int round = 1; round <= rounds; round++) {
      String context = "round " + round + ", seed " + seed;
      int killAfter = 200 + random.nextInt(1800);
      boolean fsync = fsyncLast && round == rounds;
      try (ChildServer child =
          ChildServer.start(database, fsync, 0, dir.resolve("child-" + round + ".log"))) {
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
      verifyAfterRestart(database, tokens.get(0), context);
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

  private void verifyAfterRestart(String database, String token, String context) {
    try (ChatServer server =
        ChatServerExtension.start(
            dir.resolve("unused.db"), b -> b.database(database).rooms(ROOMS))) {
      shown.assertStored(new Rest(server.port()), token, ROOMS, context);
    }
  }
}
