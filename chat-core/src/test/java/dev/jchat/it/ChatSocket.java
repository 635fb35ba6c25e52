package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One chat socket opened with the JDK's WebSocket client: the protocol's client frames as methods,
 * and a {@link SocketRecorder} for what comes back. Sends are serialised, as the JDK client allows
 * one outstanding send at a time.
 */
final class ChatSocket implements AutoCloseable {
  private static final AtomicInteger REFS = new AtomicInteger();

  private final WebSocket webSocket;
  private final SocketRecorder recorder;

  private ChatSocket(WebSocket webSocket, SocketRecorder recorder) {
    this.webSocket = webSocket;
    this.recorder = recorder;
  }

  /** Opens a socket without saying anything yet. */
  static ChatSocket open(HttpClient http, int port) {
    return await(openAsync(http, port), "opening the chat socket");
  }

  static CompletableFuture<ChatSocket> openAsync(HttpClient http, int port) {
    SocketRecorder recorder = new SocketRecorder();
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), recorder)
        .thenApply(webSocket -> new ChatSocket(webSocket, recorder));
  }

  /** Opens a socket and completes the handshake with {@code token}. */
  static ChatSocket signIn(HttpClient http, int port, String token) {
    ChatSocket socket = open(http, port);
    socket.hello(token);
    return socket;
  }

  /** A ref no other send of this JVM uses. */
  static String newRef() {
    return "r" + REFS.incrementAndGet();
  }

  SocketRecorder recorder() {
    return recorder;
  }

  /** Sends one text frame as is. */
  synchronized void sendRaw(String text) {
    await(webSocket.sendText(text, true), "sending " + Json.abbreviate(text));
  }

  /** Sends a JSON object built from alternating keys and values. */
  void send(Object... keysAndValues) {
    sendRaw(Json.object(keysAndValues));
  }

  /** Sends {@code hello} and returns the {@code welcome}. */
  JsonNode hello(String token) {
    send("type", "hello", "token", token);
    return recorder.awaitType("welcome");
  }

  /** Joins {@code room} without {@code since} and returns the {@code joined}. */
  JsonNode join(String room) {
    return join(room, null);
  }

  /** Joins {@code room} with {@code since} (left out when null) and returns the {@code joined}. */
  JsonNode join(String room, Long since) {
    send("type", "join", "room", room, "since", since);
    return awaitJoined(room);
  }

  JsonNode awaitJoined(String room) {
    return recorder.await(
        frame ->
            "joined".equals(frame.path("type").asText())
                && room.equals(frame.path("room").asText()),
        "joined '" + room + "'");
  }

  /** Sends {@code text} to {@code room} with {@code ref} (left out when null), not waiting. */
  void sendText(String room, String text, String ref) {
    send("type", "send", "room", room, "text", text, "ref", ref);
  }

  /** Sends {@code text} with a fresh ref and returns its {@code ack}. */
  JsonNode say(String room, String text) {
    String ref = newRef();
    sendText(room, text, ref);
    JsonNode ack = recorder.awaitAck(ref);
    assertEquals(room, ack.path("room").asText(), () -> "room of " + ack);
    return ack;
  }

  /**
   * Sends {@code prefix1 .. prefixN} without waiting in between, then awaits every ack; returns the
   * acks in sending order.
   */
  List<JsonNode> sendAll(String room, String prefix, int count) {
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String ref = newRef();
      refs.add(ref);
      sendText(room, prefix + i, ref);
    }
    List<JsonNode> acks = new ArrayList<>();
    for (String ref : refs) acks.add(recorder.awaitAck(ref));
    return acks;
  }

  /**
   * A synchronisation point: asks for the room list and waits for the answer, so everything the
   * server queued for this socket before it has arrived.
   */
  void roundTrip() {
    send("type", "rooms");
    recorder.awaitType("rooms");
  }

  /** Starts the close handshake with 1000 and waits for the server's close; returns its code. */
  int disconnect() {
    await(webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"), "sending close");
    return recorder.awaitClose();
  }

  /** Drops the TCP connection without a close handshake. */
  void abort() {
    webSocket.abort();
  }

  /** Best-effort clean-up: sends a close if the output is still open, never waits for it. */
  @Override
  public void close() {
    if (!webSocket.isOutputClosed()) {
      try {
        webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
      } catch (RuntimeException alreadyClosing) {
        webSocket.abort();
      }
    }
  }

  private static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within 20 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while " + what, e);
    }
  }
}
