package dev.jchat.reliability;

import dev.jchat.ChatServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures what {@code fsync} costs, without JMH: acked sends through a real server on a real file,
 * with {@code synchronous=NORMAL} (the default) and {@code FULL} ({@code --fsync}). Not a test: it
 * asserts nothing and prints its figures (docs/reliability.md quotes them).
 *
 * <ul>
 *   <li>one client, one message at a time (send, wait for its ack): every message is its own
 *       commit, so this is the per-commit latency;
 *   <li>eight clients, 32 unacknowledged each: group commit puts many messages in one commit, so
 *       this is throughput under load.
 * </ul>
 *
 * <p>Usage: {@code FsyncCost <directory on the disk to measure> [sequential sends] [concurrent
 * acks]}
 */
public final class FsyncCost {
  private FsyncCost() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      for (boolean fsync : new boolean[] {false, true}) {
        Path db = Files.createTempFile(dir, "fsync-cost-", ".db");
        try (ChatServer server =
            TestServers.builder(db).rateLimit(0).fsync(fsync).build().start()) {
          Api api = new Api(server.port());
          double[] latencies =
              sequential(server.port(), api.signUp("seq", "seq-password"), sequential);
          double throughput = concurrent(server.port(), api, concurrent);
          if (round == 1) {
            Arrays.sort(latencies);
            System.out.printf(
                "fsync=%-5s one client: median %.2f ms, p99 %.2f ms per acked send;"
                    + " 8 clients: %.0f acked sends/s%n",
                fsync,
                latencies[latencies.length / 2],
                latencies[(int) (latencies.length * 0.99)],
                throughput);
          }
        } finally {
          for (String suffix : List.of("", "-wal", "-shm"))
            Files.deleteIfExists(Path.of(db + suffix));
        }
      }
    }
  }

  private static double[] sequential(int port, String token, int n) {
    double[] millis = new double[n];
    try (ChatSocket s = ChatSocket.signedIn(port, token)) {
      s.join("general");
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        s.sendMessage("general", "sequential " + i, null);
        s.nextOfType("ack");
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    return millis;
  }

  private static double concurrent(int port, Api api, int acksWanted) throws Exception {
    AtomicInteger acks = new AtomicInteger();
    Shown shown = new Shown();
    List<Sender> senders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String user = "c" + i;
      senders.add(
          new Sender(
              user,
              api.signUp(user, "conc-password"),
              "general",
              List.of("general"),
              "x",
              Set.of(),
              shown,
              acks));
    }
    for (Sender s : senders) s.start(port);
    long start = System.nanoTime();
    int from = acks.get();
    Await.until("acks", () -> acks.get() - from >= acksWanted, Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - start) / 1e9;
    int done = acks.get() - from;
    for (Sender s : senders) {
      s.stop();
      s.abort();
    }
    return done / seconds;
  }
}
