package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchat.ChatServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of heavy traffic loses nothing any client was
 * acked or shown. The server runs in a child JVM ({@link CrashServerMain}); several senders
 * pipeline messages into two rooms and record every {@code ack} and every delivered
 * {@code message}; at a random moment after a random number of acks the child is destroyed
 * forcibly; a server started in this JVM on the same file must then hold every recorded message
 * under its seq with its text, with no gap in seq and no text twice. Senders retry what was
 * still unacknowledged with the same ref, as a client that reconnects would, so a duplicate
 * would show. Three rounds on one file, the last with {@code fsync}.
 */
final class CrashDurabilityTest {
  private static final List<String> ROOMS = CrashServerMain.ROOMS;
  private static final int SENDERS = 4;
  private static final int WINDOW = 32;
  private static final String PASSWORD = "crash-test-password";

  @TempDir Path dir;

  /** Per room, seq to "from TAB text" for everything a client was acked or shown. */
  private final Map<String, Map<Long, String>> shown = new ConcurrentHashMap<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

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
      try (Child child = Child.start(db, round == 3, dir.resolve("child-" + round + ".log"))) {
        int port = child.port();
        if (tokens == null) tokens = signUp(port);
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
          String user = "user" + i;
          senders.add(new Sender(user, tokens.get(i), ROOMS.get(i % ROOMS.size()), round,
              unacked.getOrDefault(user, Set.of())));
        }
        AtomicInteger acks = new AtomicInteger();
        for (Sender s : senders) s.start(port, acks);
        Await.until("acks before the kill (" + context + ")", () -> acks.get() >= killAfter, Duration.ofSeconds(120));
        child.kill();
        for (Sender s : senders) {
          s.stop();
          unacked.put(s.user, new HashSet<>(s.unacked));
        }
        System.out.printf("crash test %s: killed after %d acks (asked %d)%n", context, acks.get(), killAfter);
      }
      verifyAfterRestart(db, tokens.get(0), context);
    }
  }

  private List<String> signUp(int port) {
    Api api = new Api(port);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) tokens.add(api.signUp("user" + i, PASSWORD));
    return tokens;
  }

  private void verifyAfterRestart(Path db, String token, String context) {
    try (ChatServer server = TestServers.start(db, b -> b.rooms(ROOMS))) {
      Api api = new Api(server.port());
      int total = 0;
      for (String room : ROOMS) {
        List<JsonNode> history = api.history(token, room);
        Map<Long, String> stored = new HashMap<>();
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < history.size(); i++) {
          JsonNode m = history.get(i);
          long seq = m.get("seq").asLong();
          assertEquals(i + 1, seq, "seq must have no gaps in " + room + " (" + context + ")");
          String text = m.get("text").asText();
          assertTrue(texts.add(text), "stored twice in " + room + ": " + text + " (" + context + ")");
          stored.put(seq, m.get("from").asText() + "\t" + text);
        }
        Map<Long, String> seen = shown.getOrDefault(room, Map.of());
        for (Map.Entry<Long, String> e : seen.entrySet()) {
          assertEquals(e.getValue(), stored.get(e.getKey()),
              "acked or delivered as " + room + " seq " + e.getKey() + ", so it must be stored (" + context + ")");
        }
        total += seen.size();
      }
      assertTrue(problems.isEmpty(), problems + " (" + context + ")");
      assertTrue(total > 0, "the clients saw nothing: the test tested nothing");
    }
  }

  private void record(String room, long seq, String from, String text) {
    String value = from + "\t" + text;
    String before = shown.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).putIfAbsent(seq, value);
    if (before != null && !before.equals(value)) {
      problems.add(room + " seq " + seq + " was shown as both '" + before + "' and '" + value + "'");
    }
  }

  /**
   * One user on one socket: joins both rooms, sends to one of them with at most {@link #WINDOW}
   * sends unacknowledged, each with a unique text that is also its ref; records what it is told.
   */
  private final class Sender implements WebSocket.Listener {
    final String user;
    final String token;
    final String room;
    final int round;
    final Set<String> carried;
    final Set<String> unacked = ConcurrentHashMap.newKeySet();
    final Semaphore window = new Semaphore(WINDOW);
    final CountDownLatch joined = new CountDownLatch(ROOMS.size());
    final StringBuilder partial = new StringBuilder();
    volatile boolean stopped;
    AtomicInteger acks;
    WebSocket ws;
    Thread thread;

    Sender(String user, String token, String room, int round, Set<String> carried) {
      this.user = user;
      this.token = token;
      this.room = room;
      this.round = round;
      this.carried = carried;
    }

    void start(int port, AtomicInteger acks) throws Exception {
      this.acks = acks;
      ws = Api.HTTP.newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this)
          .get(20, TimeUnit.SECONDS);
      send("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
      for (String r : ROOMS) send("{\"type\":\"join\",\"room\":\"" + r + "\",\"since\":0}");
      assertTrue(joined.await(20, TimeUnit.SECONDS), user + " could not join");
      thread = new Thread(this::run, "sender-" + user);
      thread.start();
    }

    private void run() {
      // a client that reconnects retries what it never saw acked, with the same ref
      for (String ref : carried) {
        if (!sendMessage(ref)) return;
      }
      for (int n = 0; sendMessage(user + "-r" + round + "-" + n); n++) {
        // until stopped
      }
    }

    private boolean sendMessage(String ref) {
      try {
        while (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
          if (stopped) return false;
        }
      } catch (InterruptedException e) {
        return false;
      }
      if (stopped) return false;
      unacked.add(ref);
      return send("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + ref + "\",\"ref\":\"" + ref + "\"}");
    }

    private boolean send(String json) {
      try {
        ws.sendText(json, true).get(20, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false; // the server is gone
      }
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join(20_000);
      ws.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        handle(Api.parse(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void handle(JsonNode f) {
      switch (f.get("type").asText()) {
        case "ack" -> {
          String ref = f.get("ref").asText();
          record(f.get("room").asText(), f.get("seq").asLong(), user, ref);
          if (unacked.remove(ref)) window.release();
          acks.incrementAndGet();
        }
        case "message" -> record(f.get("room").asText(), f.get("seq").asLong(), f.get("from").asText(),
            f.get("text").asText());
        case "joined" -> {
          f.get("history").forEach(m -> record(m.get("room").asText(), m.get("seq").asLong(),
              m.get("from").asText(), m.get("text").asText()));
          joined.countDown();
        }
        case "welcome", "presence" -> { }
        default -> problems.add(user + " got " + f);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      // the server was killed: expected
    }
  }

  /** The server's JVM. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final Path log;

    private Child(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Child start(Path db, boolean fsync, Path log) throws IOException {
      String java = ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      List<String> command = new ArrayList<>(List.of(
          java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"),
          CrashServerMain.class.getName(), db.toString()));
      if (fsync) command.add("fsync");
      Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
      return new Child(p, log);
    }

    int port() throws Exception {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).get(60, TimeUnit.SECONDS);
      assertNotNull(line, () -> "the child server did not start: " + readLog());
      assertTrue(line.startsWith("PORT "), line);
      return Integer.parseInt(line.substring(5).trim());
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child server did not die");
    }

    private String readLog() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return e.toString();
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) kill();
    }
  }
}
