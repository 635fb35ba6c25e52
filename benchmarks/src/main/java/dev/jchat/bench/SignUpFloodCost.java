package dev.jchat.bench;

import dev.jchat.ChatClient;
import dev.jchat.ChatServer;
import dev.jchat.ChatSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a sign-up flood does to everyone else, without JMH: the latency of an existing user's {@code
 * hello} (a new socket) and of an acked {@code send}, on a quiet server and while threads flood
 * {@code POST /api/users} from the same machine as fast as answers come back. The flood runs with
 * the per-address sign-up limit off, so every request reaches the password hashers (the worst case;
 * with the limit on, most are refused with a cheap 429). Also prints the time one login takes at
 * the default PBKDF2 cost. Prints figures, asserts nothing (docs/performance.md quotes them).
 * Public API only.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.jchat.bench.SignUpFloodCost
 * [samples] [flooding threads]}
 */
public final class SignUpFloodCost {
  private static final String PASSWORD = "flood-cost-password";

  private SignUpFloodCost() {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int flooders = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    Path dir = Files.createTempDirectory("signup-flood-");
    try (ChatServer server =
        ChatServer.builder()
            .host("127.0.0.1")
            .port(0)
            .database(dir.resolve("chat.db"))
            .signupsPerHour(0)
            .rateLimit(0)
            .build()
            .start()) {
      ChatClient client = ChatClient.builder().host("127.0.0.1").port(server.port()).build();
      client.register("steady", PASSWORD, null, null);
      long[] logins = new long[5];
      for (int i = 0; i < logins.length; i++) {
        long start = System.nanoTime();
        client.login("steady", PASSWORD);
        logins[i] = System.nanoTime() - start;
      }
      Arrays.sort(logins);
      System.out.printf("login at the default cost: median %.0f ms%n", logins[2] / 1e6);

      measure("quiet", client, samples);
      measure("quiet", client, samples);
      AtomicBoolean flooding = new AtomicBoolean(true);
      Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
      Thread[] threads = new Thread[flooders];
      for (int t = 0; t < flooders; t++) {
        int id = t;
        threads[t] = new Thread(() -> flood(server.port(), id, flooding, answers));
        threads[t].start();
      }
      measure("sign-up flood", client, samples);
      flooding.set(false);
      for (Thread t : threads) {
        t.join();
      }
      System.out.println("flood answers by status: " + new TreeMap<>(answers));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void measure(String label, ChatClient client, int samples) throws Exception {
    double[] hello = new double[samples];
    double[] send = new double[samples];
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      try (ChatSocket socket = client.connect(new ChatSocket.Listener() {})) {
        hello[i] = (System.nanoTime() - start) / 1e6;
        socket.join("general").join();
        long sent = System.nanoTime();
        socket.send("general", "sample " + i).join();
        send[i] = (System.nanoTime() - sent) / 1e6;
      }
    }
    Arrays.sort(hello);
    Arrays.sort(send);
    System.out.printf(
        "%-14s hello p50 %.1f ms p99 %.1f ms; acked send p50 %.2f ms p99 %.2f ms (%d samples)%n",
        label,
        hello[samples / 2],
        hello[(int) (samples * 0.99)],
        send[samples / 2],
        send[(int) (samples * 0.99)],
        samples);
  }

  private static void flood(
      int port, int id, AtomicBoolean flooding, Map<Integer, AtomicInteger> answers) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI users = URI.create("http://127.0.0.1:" + port + "/api/users");
    for (int n = 0; flooding.get() && n < 1_000_000; n++) {
      String body = "{\"userId\":\"flood-" + id + "-" + n + "\",\"password\":\"" + PASSWORD + "\"}";
      try {
        int status =
            http.send(
                    HttpRequest.newBuilder(users)
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString(body))
                        .build(),
                    BodyHandlers.discarding())
                .statusCode();
        answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      } catch (Exception e) {
        answers.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
      }
    }
  }
}
