package dev.jchat.bench;

import dev.jchat.ChatServer;
import dev.jchat.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One chat message end to end over loopback: a signed-in client that joined {@code general} sends a
 * 64-character message and waits for its own {@code message} frame to come back. In between: the
 * JDK WebSocket client, TCP, the server's event loop and worker pool, the message log's commit into
 * SQLite, fan-out, and the way back. The server is an embedded {@link ChatServer} on an ephemeral
 * port with a database in a temporary directory and no rate limit; the client is the JDK's {@code
 * java.net.http} WebSocket, as in the integration tests, in the same process. One message is in
 * flight at a time, so this is latency, not throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoundTripBenchmark {
  private static final String USER = "bench";
  private static final String PASSWORD = "benchmark-password";
  private static final String TEXT = SampleText.ofLength(64);
  private static final long TIMEOUT_SECONDS = 10;

  private TempDirectory dir;
  private ChatServer server;
  private WebSocket socket;
  private final Inbox inbox = new Inbox();
  private long sent;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = TempDirectory.create("jchat-round-trip-");
    try {
      server =
          ChatServer.builder()
              .host("127.0.0.1")
              .port(0)
              .database(dir.resolve("chat.db"))
              .rateLimit(0)
              .passwordIterations(1000)
              .build()
              .start();
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newHttpClient();
      String credentials = "{\"userId\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}";
      post(http, base + "/api/users", credentials);
      String token =
          Json.MAPPER
              .readTree(post(http, base + "/api/sessions", credentials))
              .get("token")
              .asText();
      socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), inbox)
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      socket.sendText("{\"type\":\"hello\",\"token\":\"" + token + "\"}", true).join();
      inbox.await("welcome");
      socket.sendText("{\"type\":\"join\",\"room\":\"general\"}", true).join();
      inbox.await("joined");
    } catch (Exception | Error e) {
      tearDown();
      throw e;
    }
  }

  @Benchmark
  public String sendAndReceive() throws InterruptedException {
    long n = ++sent;
    socket
        .sendText(
            "{\"type\":\"send\",\"room\":\"general\",\"text\":\""
                + TEXT
                + "\",\"ref\":\"r-"
                + n
                + "\"}",
            true)
        .join();
    return inbox.await("message");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (socket != null) {
        socket.abort();
      }
      if (server != null) {
        server.close();
      }
    } finally {
      dir.close();
    }
  }

  private static String post(HttpClient http, String url, String json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "POST " + url + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  /** Whole text messages from the server, in order, for the benchmark thread to wait on. */
  private static final class Inbox implements WebSocket.Listener {
    /** Queued when the socket closes or fails; the server never sends an empty message. */
    private static final String CLOSED = "";

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    /**
     * The next message of {@code type}, skipping the others (the {@code ack} before each of our
     * messages).
     */
    String await(String type) throws InterruptedException {
      String prefix = "{\"type\":\"" + type + "\"";
      while (true) {
        String m = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (m == null || m.equals(CLOSED)) {
          throw new IllegalStateException(
              "no '" + type + "' from the server: " + (m == null ? "timed out" : "closed"));
        }
        if (m.startsWith(prefix)) {
          return m;
        }
        if (m.startsWith("{\"type\":\"error\"")) {
          throw new IllegalStateException(m);
        }
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      messages.add(CLOSED);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      messages.add(CLOSED);
    }
  }
}
