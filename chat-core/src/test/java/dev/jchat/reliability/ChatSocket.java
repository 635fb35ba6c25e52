package dev.jchat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The chat socket through the JDK's WebSocket client (an implementation we did not write),
 * recording every frame the server sends; reads wait with a bounded timeout.
 */
final class ChatSocket implements WebSocket.Listener, AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  final AtomicInteger pings = new AtomicInteger();
  volatile String closeReason;
  private WebSocket ws;

  static ChatSocket open(int port) {
    ChatSocket s = new ChatSocket();
    try {
      // a client of its own: one HttpClient reads all its sockets on a single selector thread
      s.ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), s)
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot open the chat socket", e);
    }
    return s;
  }

  /** Opens, sends hello and waits for welcome. */
  static ChatSocket signedIn(int port, String token) {
    ChatSocket s = open(port);
    s.send(Api.JSON.createObjectNode().put("type", "hello").put("token", token));
    assertEquals("welcome", s.next().get("type").asText());
    return s;
  }

  /** Joins and returns the {@code joined} frame. */
  JsonNode join(String room) {
    send(Api.JSON.createObjectNode().put("type", "join").put("room", room));
    return nextOfType("joined");
  }

  void sendMessage(String room, String text, String ref) {
    ObjectNode m =
        Api.JSON.createObjectNode().put("type", "send").put("room", room).put("text", text);
    if (ref != null) m.put("ref", ref);
    send(m);
  }

  void send(JsonNode json) {
    sendText(json.toString());
  }

  /** One text message; waits until the client has taken it (calls must not overlap). */
  synchronized void sendText(String text) {
    try {
      ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError(
          "send failed; the socket was closed with " + closeCode.getNow(null) + " " + closeReason,
          e);
    }
  }

  JsonNode next() {
    try {
      JsonNode f = frames.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (f == null) {
        throw new AssertionError(
            "no frame from the server within "
                + WAIT
                + (closeCode.isDone()
                    ? "; closed with " + closeCode.getNow(null) + " " + closeReason
                    : ""));
      }
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame of this type; frames of other types before it are dropped. */
  JsonNode nextOfType(String type) {
    return nextMatching(f -> type.equals(f.path("type").asText()));
  }

  JsonNode nextMatching(Predicate<JsonNode> wanted) {
    while (true) {
      JsonNode f = next();
      if (wanted.test(f)) return f;
    }
  }

  /** Frames received so far and not yet taken. */
  int buffered() {
    return frames.size();
  }

  int awaitClose() {
    try {
      return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("the server did not close the socket", e);
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
      frames.add(Api.parse(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    closeCode.completeExceptionally(new AssertionError("the server sent a binary frame"));
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    pings.incrementAndGet();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(1006);
  }

  @Override
  public void close() {
    ws.abort();
  }
}
