package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Records what the server sends on one JDK WebSocket: text messages (reassembled from their parts
 * and parsed as JSON), the close, and failures. The listener runs on the client's threads and only
 * queues; the test thread waits on the queue with bounded timeouts.
 *
 * <p>Awaiting a frame consumes the first unconsumed frame that matches and leaves the others, so
 * that interleaved frames (presence, say) never break a test that does not look for them.
 */
public final class SocketRecorder implements WebSocket.Listener {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** What happened on the socket, in arrival order. */
  public sealed interface Event permits Frame, Pinged, Closed, Failed {}

  public record Frame(JsonNode json) implements Event {}

  /** A ping from the server (the JDK client answers it with a pong by itself). */
  public record Pinged() implements Event {}

  public record Closed(int code, String reason) implements Event {}

  public record Failed(Throwable error) implements Event {}

  private final BlockingQueue<Event> arrived = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  // touched only by the awaiting (test) thread, under this object's lock
  private final List<Event> unconsumed = new ArrayList<>();
  private final List<Event> seen = new ArrayList<>();

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        arrived.add(new Frame(TestJson.MAPPER.readTree(text)));
      } catch (IOException e) {
        arrived.add(
            new Failed(
                new AssertionError(
                    "server sent a text frame that is not JSON: " + TestJson.abbreviate(text), e)));
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    arrived.add(new Failed(new AssertionError("server sent a binary frame")));
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    arrived.add(new Pinged());
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    arrived.add(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    arrived.add(new Failed(error));
  }

  /** Waits for the first unconsumed frame of {@code type}. */
  public JsonNode awaitType(String type) {
    return await(frame -> type.equals(frame.path("type").asText()), "a '" + type + "' frame");
  }

  /** Waits for a {@code message} frame in {@code room} with exactly {@code text}. */
  public JsonNode awaitMessage(String room, String text) {
    return await(
        frame -> isMessageIn(frame, room) && text.equals(frame.path("text").asText()),
        "message '" + TestJson.abbreviate(text) + "' in room '" + room + "'");
  }

  /** Waits for the next {@code message} frame in {@code room}, whatever its text. */
  public JsonNode awaitMessageIn(String room) {
    return await(frame -> isMessageIn(frame, room), "a message in room '" + room + "'");
  }

  public JsonNode awaitAck(String ref) {
    return await(
        frame ->
            "ack".equals(frame.path("type").asText()) && ref.equals(frame.path("ref").asText()),
        "ack for ref '" + ref + "'");
  }

  public JsonNode awaitError(String code) {
    return await(
        frame ->
            "error".equals(frame.path("type").asText()) && code.equals(frame.path("code").asText()),
        "error '" + code + "'");
  }

  public JsonNode awaitPresence(String room, String userId, String event) {
    return await(
        frame ->
            "presence".equals(frame.path("type").asText())
                && room.equals(frame.path("room").asText())
                && userId.equals(frame.path("userId").asText())
                && event.equals(frame.path("event").asText()),
        "presence " + event + " of " + userId + " in '" + room + "'");
  }

  public JsonNode await(Predicate<JsonNode> matches, String description) {
    return await(matches, description, DEFAULT_TIMEOUT);
  }

  /**
   * Waits up to {@code timeout} for an unconsumed frame that {@code matches}, consumes and returns
   * it. Fails with everything received so far when it does not come, when the socket closes first,
   * or when the client reports an error.
   */
  public JsonNode await(Predicate<JsonNode> matches, String description, Duration timeout) {
    Event event =
        awaitEvent(
            e -> e instanceof Frame frame && matches.test(frame.json()), description, timeout);
    return ((Frame) event).json();
  }

  /** Waits for the first unconsumed frame, whatever its type. */
  public JsonNode next() {
    return await(frame -> true, "any frame");
  }

  /** How many frames have arrived so far that no await has consumed. */
  public synchronized int unconsumedFrames() {
    drain();
    return (int) unconsumed.stream().filter(event -> event instanceof Frame).count();
  }

  /** Whether the socket has been closed or has failed, as far as has arrived so far. */
  public synchronized boolean ended() {
    drain();
    return seen.stream().anyMatch(event -> event instanceof Closed || event instanceof Failed);
  }

  /** Waits for the next ping from the server. */
  public void awaitPing() {
    awaitEvent(event -> event instanceof Pinged, "a ping", DEFAULT_TIMEOUT);
  }

  /** Waits for the server's close and returns its status code; frames before it are kept. */
  public int awaitClose() {
    return awaitClose(DEFAULT_TIMEOUT);
  }

  public synchronized int awaitClose(Duration timeout) {
    for (Event event : seen) {
      if (event instanceof Closed closed) {
        return closed.code();
      }
    }
    return ((Closed) awaitEvent(event -> event instanceof Closed, "the close", timeout)).code();
  }

  private synchronized Event awaitEvent(
      Predicate<Event> wanted, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Iterator<Event> it = unconsumed.iterator(); it.hasNext(); ) {
      Event event = it.next();
      if (wanted.test(event)) {
        it.remove();
        return event;
      }
    }
    if (seen.stream().anyMatch(event -> event instanceof Closed || event instanceof Failed)) {
      fail("socket had ended before waiting for " + description + "; received: " + describeSeen());
    }
    while (true) {
      Event event = next(deadline, description);
      if (wanted.test(event)) {
        return event;
      }
      unconsumed.add(event);
      if (event instanceof Closed || event instanceof Failed) {
        fail(
            "socket ended while waiting for " + description + "; received: " + describeSeen(),
            event instanceof Failed failed ? failed.error() : null);
      }
    }
  }

  /**
   * Asserts that no frame received so far, consumed or not, {@code matches}. Call it only after a
   * synchronisation point that proves such a frame would already have arrived.
   */
  public synchronized void assertNoFrame(Predicate<JsonNode> matches, String description) {
    drain();
    for (Event event : seen) {
      if (event instanceof Frame frame && matches.test(frame.json())) {
        fail("unexpected " + description + ": " + frame.json() + "; received: " + describeSeen());
      }
    }
  }

  public void assertNoFrameOfType(String type) {
    assertNoFrame(frame -> type.equals(frame.path("type").asText()), "'" + type + "' frame");
  }

  /** Every frame received so far that {@code matches}, consumed or not, in arrival order. */
  public synchronized List<JsonNode> framesSoFar(Predicate<JsonNode> matches) {
    drain();
    List<JsonNode> frames = new ArrayList<>();
    for (Event event : seen) {
      if (event instanceof Frame frame && matches.test(frame.json())) {
        frames.add(frame.json());
      }
    }
    return frames;
  }

  public static boolean isMessageIn(JsonNode frame, String room) {
    return "message".equals(frame.path("type").asText())
        && room.equals(frame.path("room").asText());
  }

  private Event next(long deadline, String description) {
    try {
      long remaining = deadline - System.nanoTime();
      Event event = remaining > 0 ? arrived.poll(remaining, TimeUnit.NANOSECONDS) : arrived.poll();
      if (event == null) {
        fail("timed out waiting for " + description + "; received: " + describeSeen());
      }
      seen.add(event);
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + description, e);
    }
  }

  private void drain() {
    for (Event event; (event = arrived.poll()) != null; ) {
      seen.add(event);
      unconsumed.add(event);
    }
  }

  private String describeSeen() {
    List<String> lines = new ArrayList<>();
    int from = Math.max(0, seen.size() - 40);
    if (from > 0) {
      lines.add("(" + from + " earlier events left out)");
    }
    for (Event event : seen.subList(from, seen.size())) {
      lines.add(
          event instanceof Frame frame
              ? TestJson.abbreviate(frame.json().toString())
              : event.toString());
    }
    return lines.isEmpty() ? "nothing" : "\n  " + String.join("\n  ", lines);
  }
}
