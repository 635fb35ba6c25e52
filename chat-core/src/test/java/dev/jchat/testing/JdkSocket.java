package dev.jchat.testing;

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
 * One chat socket opened with the JDK's WebSocket client (an implementation we did not write): the
 * protocol's client frames as methods, and a {@link SocketRecorder} for what comes back. Sends are
 * serialised, as the JDK client allows one outstanding send at a time.
 */
public final class JdkSocket implements AutoCloseable {
  private static final AtomicInteger REFS = new AtomicInteger();

  private final WebSocket webSocket;
  private final SocketRecorder recorder;

  private JdkSocket(WebSocket webSocket, SocketRecorder recorder) {
    this.webSocket = webSocket;
    this.recorder = recorder;
  }

  /**
   * Opens a socket on an HTTP client of its own (one client reads all its sockets on a single
   * selector thread), without saying anything yet.
   */
  public static JdkSocket open(int port) {
    return open(ChatServerExtension.newHttpClient(), port);
  }

  /** Opens a socket on its own HTTP client and completes the handshake with {@code token}. */
  public static JdkSocket signIn(int port, String token) {
    return signIn(ChatServerExtension.newHttpClient(), port, token);
  }

  /** Opens a socket without saying anything yet. */
  public static JdkSocket open(HttpClient http, int port) {
    return await(openAsync(http, port), "opening the chat socket");
  }

  public static CompletableFuture<JdkSocket> openAsync(HttpClient http, int port) {
    SocketRecorder recorder = new SocketRecorder();
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), recorder)
        .thenApply(webSocket -> new JdkSocket(webSocket, recorder));
  }

  /** Opens a socket and completes the handshake with {@code token}. */
  public static JdkSocket signIn(HttpClient http, int port, String token) {
    JdkSocket socket = open(http, port);
    socket.hello(token);
    return socket;
  }

  /** A ref no other send of this JVM uses. */
  public static String newRef() {
    return "r" + REFS.incrementAndGet();
  }

  public SocketRecorder recorder() {
    return recorder;
  }

  /** Sends one text frame as is. */
  public synchronized void sendRaw(String text) {
    await(webSocket.sendText(text, true), "sending " + TestJson.abbreviate(text));
  }

  /** Sends a JSON object built from alternating keys and values. */
  public void send(Object... keysAndValues) {
    sendRaw(TestJson.object(keysAndValues));
  }

  /** Sends {@code hello} and returns the {@code welcome}. */
  public JsonNode hello(String token) {
    send("type", "hello", "token", token);
    return recorder.awaitType("welcome");
  }

  /** Joins {@code room} without {@code since} and returns the {@code joined}. */
  public JsonNode join(String room) {
    return join(room, null);
  }

  /** Joins {@code room} with {@code since} (left out when null) and returns the {@code joined}. */
  public JsonNode join(String room, Long since) {
    send("type", "join", "room", room, "since", since);
    return awaitJoined(room);
  }

  public JsonNode awaitJoined(String room) {
    return recorder.await(
        frame ->
            "joined".equals(frame.path("type").asText())
                && room.equals(frame.path("room").asText()),
        "joined '" + room + "'");
  }

  /** Sends {@code text} to {@code room} with {@code ref} (left out when null), not waiting. */
  public void sendText(String room, String text, String ref) {
    send("type", "send", "room", room, "text", text, "ref", ref);
  }

  /** Sends {@code text} with a fresh ref and returns its {@code ack}. */
  public JsonNode say(String room, String text) {
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
  public List<JsonNode> sendAll(String room, String prefix, int count) {
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String ref = newRef();
      refs.add(ref);
      sendText(room, prefix + i, ref);
    }
    List<JsonNode> acks = new ArrayList<>();
    for (String ref : refs) {
      acks.add(recorder.awaitAck(ref));
    }
    return acks;
  }

  /**
   * A synchronisation point: asks for the room list and waits for the answer, so everything the
   * server queued for this socket before it has arrived.
   */
  public void roundTrip() {
    send("type", "rooms");
    recorder.awaitType("rooms");
  }

  /** Starts the close handshake with 1000 and waits for the server's close; returns its code. */
  public int disconnect() {
    await(webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"), "sending close");
    return recorder.awaitClose();
  }

  /** Drops the TCP connection without a close handshake. */
  public void abort() {
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
