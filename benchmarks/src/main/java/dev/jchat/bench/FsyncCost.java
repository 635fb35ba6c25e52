package dev.jchat.bench;

import dev.jchat.ChatClient;
import dev.jchat.ChatServer;
import dev.jchat.ChatSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures what {@code fsync} costs, without JMH: acked sends through a real server on a real file,
 * with {@code synchronous=NORMAL} (the default) and {@code FULL} ({@code --fsync}). It asserts
 * nothing and prints its figures (docs/reliability.md quotes them). Uses only chat-core's public
 * API: an embedded {@link ChatServer} and {@link ChatClient}s.
 *
 * <ul>
 *   <li>one client, one message at a time (send, wait for its ack): every message is its own
 *       commit, so this is the per-commit latency;
 *   <li>eight clients, 32 unacknowledged each: group commit puts many messages in one commit, so
 *       this is throughput under load.
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.jchat.bench.FsyncCost <directory
 * on the disk to measure> [sequential sends] [concurrent acks]}
 */
public final class FsyncCost {
  private static final String PASSWORD = "fsync-cost-password";
  private static final int CLIENTS = 8;
  private static final int WINDOW = 32;
  private static final long TIMEOUT_SECONDS = 60;

  private FsyncCost() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      for (boolean fsync : new boolean[] {false, true}) {
        Path db = Files.createTempFile(dir, "fsync-cost-", ".db");
        try (ChatServer server = start(db, fsync)) {
          double[] latencies = sequential(server.port(), sequential);
          double throughput = concurrent(server.port(), concurrent);
          if (round == 1) {
            Arrays.sort(latencies);
            System.out.printf(
                "fsync=%-5s one client: median %.2f ms, p99 %.2f ms per acked send;"
                    + " %d clients: %.0f acked sends/s%n",
                fsync,
                latencies[latencies.length / 2],
                latencies[(int) (latencies.length * 0.99)],
                CLIENTS,
                throughput);
          }
        } finally {
          for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
          }
        }
      }
    }
  }

  private static ChatServer start(Path db, boolean fsync) throws Exception {
    return ChatServer.builder()
        .host("127.0.0.1")
        .port(0)
        .database(db)
        .rateLimit(0)
        .passwordIterations(1000)
        .fsync(fsync)
        .build()
        .start();
  }

  /** A new user's socket that has joined {@code general}. */
  private static ChatSocket signedIn(int port, String userId) throws Exception {
    ChatClient client = ChatClient.builder().host("127.0.0.1").port(port).build();
    client.register(userId, PASSWORD, null, null);
    client.login(userId, PASSWORD);
    ChatSocket socket = client.connect(new ChatSocket.Listener() {});
    socket.join("general").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return socket;
  }

  private static double[] sequential(int port, int n) throws Exception {
    double[] millis = new double[n];
    try (ChatSocket socket = signedIn(port, "seq")) {
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        socket.send("general", "sequential " + i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    return millis;
  }

  /** Acked sends per second of {@link #CLIENTS} clients with {@link #WINDOW} sends in flight. */
  private static double concurrent(int port, int acksWanted) throws Exception {
    List<ChatSocket> sockets = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      sockets.add(signedIn(port, "c" + i));
    }
    AtomicInteger acks = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (ChatSocket socket : sockets) {
      Thread t = new Thread(() -> sendUntil(socket, acks, acksWanted), "fsync-cost-sender");
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sockets.forEach(ChatSocket::close);
    return acks.get() / seconds;
  }

  /** Sends with at most {@link #WINDOW} unacked until {@code acks} reaches {@code wanted}. */
  private static void sendUntil(ChatSocket socket, AtomicInteger acks, int wanted) {
    Semaphore window = new Semaphore(WINDOW);
    try {
      for (int n = 0; acks.get() < wanted; n++) {
        window.acquire();
        socket
            .send("general", "concurrent " + n)
            .whenComplete(
                (ack, failure) -> {
                  if (failure == null) {
                    acks.incrementAndGet();
                  }
                  window.release();
                });
      }
      window.acquire(WINDOW); // the sends still in flight
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
