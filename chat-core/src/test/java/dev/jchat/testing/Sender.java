package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One user on one JDK WebSocket, as a busy client: joins every room, then on its own thread sends
 * to one room as fast as the server acks, with at most {@link #WINDOW} sends unacknowledged, each
 * with a unique text that is also its ref. Records every ack and every delivered message in a
 * {@link Shown}, and remembers which refs were never acked (a client that reconnects retries those
 * with the same ref, which is what {@code carried} is for).
 */
public final class Sender implements WebSocket.Listener {
  public static final int WINDOW = 32;

  public final String user;
  public final Set<String> unacked = ConcurrentHashMap.newKeySet();
  public final Set<String> acked = ConcurrentHashMap.newKeySet();
  public final AtomicInteger errors = new AtomicInteger();
  public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final String token;
  private final String room;
  private final List<String> rooms;
  private final String refPrefix;
  private final Set<String> carried;
  private final Shown shown;
  private final AtomicInteger acks;
  private final Semaphore window = new Semaphore(WINDOW);
  private final CountDownLatch joined;
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean stopped;
  private WebSocket ws;
  private Thread thread;

  /**
   * @param refPrefix makes refs unique across rounds
   * @param carried refs sent before and never acked, to send again first
   * @param acks counts acks across senders
   */
  public Sender(
      String user,
      String token,
      String room,
      List<String> rooms,
      String refPrefix,
      Set<String> carried,
      Shown shown,
      AtomicInteger acks) {
    this.user = user;
    this.token = token;
    this.room = room;
    this.rooms = rooms;
    this.refPrefix = refPrefix;
    this.carried = carried;
    this.shown = shown;
    this.acks = acks;
    this.joined = new CountDownLatch(rooms.size());
  }

  /** Connects, signs in, joins every room, then starts sending. */
  public void start(int port) throws Exception {
    ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this)
            .get(20, TimeUnit.SECONDS);
    send("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
    for (String r : rooms) {
      send("{\"type\":\"join\",\"room\":\"" + r + "\",\"since\":0}");
    }
    assertTrue(joined.await(20, TimeUnit.SECONDS), user + " could not join");
    thread = new Thread(this::run, "sender-" + user);
    thread.start();
  }

  private void run() {
    for (String ref : carried) {
      if (!sendMessage(ref)) {
        return;
      }
    }
    for (int n = 0; sendMessage(user + "-" + refPrefix + "-" + n); n++) {
      // until stopped or the server is gone
    }
  }

  private boolean sendMessage(String ref) {
    try {
      while (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
        if (stopped) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      return false;
    }
    if (stopped) {
      return false;
    }
    unacked.add(ref);
    return send(
        "{\"type\":\"send\",\"room\":\""
            + room
            + "\",\"text\":\""
            + ref
            + "\",\"ref\":\""
            + ref
            + "\"}");
  }

  private boolean send(String json) {
    try {
      ws.sendText(json, true).get(20, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false; // the server closed or is gone
    }
  }

  /** Stops sending and waits for the sending thread; the socket stays as it is. */
  public void stop() throws InterruptedException {
    stopped = true;
    thread.join(20_000);
  }

  public void abort() {
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
      handle(TestJson.parse(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  private void handle(JsonNode f) {
    switch (f.get("type").asText()) {
      case "ack" -> {
        String ref = f.get("ref").asText();
        shown.record(f.get("room").asText(), f.get("seq").asLong(), user, ref);
        acked.add(ref);
        if (unacked.remove(ref)) {
          window.release();
        }
        acks.incrementAndGet();
      }
      case "message" ->
          shown.record(
              f.get("room").asText(),
              f.get("seq").asLong(),
              f.get("from").asText(),
              f.get("text").asText());
      case "joined" -> {
        f.get("history")
            .forEach(
                m ->
                    shown.record(
                        m.get("room").asText(),
                        m.get("seq").asLong(),
                        m.get("from").asText(),
                        m.get("text").asText()));
        joined.countDown();
      }
      case "error" -> errors.incrementAndGet();
      case "welcome", "presence" -> {}
      default -> shown.problems.add(user + " got " + f);
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(1006);
  }
}
