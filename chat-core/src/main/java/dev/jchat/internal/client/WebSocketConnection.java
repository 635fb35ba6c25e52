package dev.jchat.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatRoom;
import dev.jchat.ChatSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chat socket on {@code java.net.http}'s WebSocket: the hello/welcome handshake, requests and
 * their answers, frames the server sends on its own. Its {@link WebSocket.Listener} methods run one
 * at a time on the HTTP client's threads; requests come from any thread.
 */
public final class WebSocketConnection implements ChatSocket, WebSocket.Listener {
  private final ConnectionSettings settings;
  private final String token;
  private final ChatSocket.Listener listener;
  private final PendingRequests pending;
  private final TextReassembler reassembler;
  private final CompletableFuture<ChatSocket> welcomed = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicBoolean terminated = new AtomicBoolean();
  private volatile WebSocket webSocket;
  private volatile Outbox outbox;
  private volatile String userId;
  private volatile String server = "";

  private WebSocketConnection(
      ConnectionSettings settings, String token, ChatSocket.Listener listener) {
    this.settings = settings;
    this.token = token;
    this.listener = listener;
    this.pending = new PendingRequests(settings.maxPendingRequests());
    this.reassembler = new TextReassembler(settings.maxMessageChars());
  }

  /**
   * Opens a socket and sends {@code hello}; the future completes once welcomed, or fails with a
   * {@link ChatException} (never later than the timeout).
   */
  public static CompletableFuture<ChatSocket> open(
      HttpClient http, ConnectionSettings settings, String token, ChatSocket.Listener listener) {
    WebSocketConnection connection = new WebSocketConnection(settings, token, listener);
    http.newWebSocketBuilder()
        .connectTimeout(settings.timeout())
        .buildAsync(URI.create(settings.uri()), connection)
        .whenComplete(
            (ws, failure) -> {
              if (failure != null) {
                connection.failOpening(failure);
              }
            });
    after(
        settings,
        () -> {
          if (connection.welcomed.completeExceptionally(
              connection.unavailable("no welcome within " + seconds(settings)))) {
            connection.abort(1006, "no welcome");
          }
        });
    return connection.welcomed;
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public String server() {
    return server;
  }

  @Override
  public CompletableFuture<Joined> join(String roomId) {
    return request(
            "joined",
            roomId,
            "join '" + roomId + "'",
            ClientJson.object("type", "join", "room", roomId))
        .thenApply(frame -> joined(frame, roomId));
  }

  @Override
  public CompletableFuture<Joined> join(String roomId, long since) {
    var frame = ClientJson.object("type", "join", "room", roomId, "since", since);
    return request("joined", roomId, "join '" + roomId + "'", frame)
        .thenApply(answer -> joined(answer, roomId));
  }

  @Override
  public CompletableFuture<Ack> send(String roomId, String text, String ref) {
    if (ref != null && (ref.isEmpty() || ref.length() > 64)) {
      throw new IllegalArgumentException("ref must be 1 to 64 characters");
    }
    String r = ref == null ? Refs.next() : ref;
    CompletableFuture<Ack> result = new CompletableFuture<>();
    sendAttempt(roomId, text, r, 0, result);
    return result;
  }

  /**
   * One attempt of a send; an {@code unavailable} answer (the server could not store it, so nothing
   * was stored) is tried again with the same ref after a bounded backoff ({@link SendRetry}).
   */
  private void sendAttempt(
      String roomId, String text, String ref, int attempt, CompletableFuture<Ack> result) {
    sendOnce(roomId, text, ref)
        .whenComplete(
            (ack, failure) -> {
              if (failure == null) {
                result.complete(ack);
                return;
              }
              Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
              long delay = SendRetry.delayMillis(cause, attempt);
              if (delay < 0 || terminated.get()) {
                result.completeExceptionally(cause);
                return;
              }
              CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, settings.executor())
                  .execute(() -> sendAttempt(roomId, text, ref, attempt + 1, result));
            });
  }

  private CompletableFuture<Ack> sendOnce(String roomId, String text, String r) {
    var frame = ClientJson.object("type", "send", "room", roomId, "text", text);
    return request("ack", roomId, r, "send to '" + roomId + "'", frame)
        .thenApply(
            ack ->
                new Ack(
                    ack.path("ref").asText(r),
                    ack.path("room").asText(roomId),
                    ack.path("seq").asLong(),
                    ack.path("ts").asLong()));
  }

  @Override
  public CompletableFuture<Void> leave(String roomId) {
    return request(
            "left",
            roomId,
            "leave '" + roomId + "'",
            ClientJson.object("type", "leave", "room", roomId))
        .thenApply(left -> null);
  }

  @Override
  public CompletableFuture<List<ChatMessage>> history(String roomId, long before, int limit) {
    var frame =
        ClientJson.object(
            "type",
            "history",
            "room",
            roomId,
            "before",
            before > 0 ? before : null,
            "limit",
            limit > 0 ? limit : null);
    return request("history", roomId, "history of '" + roomId + "'", frame)
        .thenApply(answer -> ClientJson.messages(answer.path("messages"), roomId));
  }

  @Override
  public CompletableFuture<List<ChatRoom>> rooms() {
    return request("rooms", null, "rooms", ClientJson.object("type", "rooms"))
        .thenApply(answer -> ClientJson.rooms(answer.path("rooms")));
  }

  @Override
  public boolean isOpen() {
    return welcomed.isDone() && !welcomed.isCompletedExceptionally() && !terminated.get();
  }

  @Override
  public void close() {
    Outbox out = outbox;
    if (terminated.get() || out == null) {
      return;
    }
    out.close(WebSocket.NORMAL_CLOSURE, "");
    try {
      closed.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      abort(1006, "no answer to close");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(1006, "interrupted");
    }
  }

  @Override
  public void onOpen(WebSocket ws) {
    this.webSocket = ws;
    this.outbox =
        new Outbox(
            ws,
            settings.maxPendingRequests() + 1,
            failure -> abort(1006, "sending failed: " + failure.getMessage()));
    outbox.offer(ClientJson.write(ClientJson.object("type", "hello", "token", token)));
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    String message;
    try {
      message = reassembler.append(data, last);
    } catch (TextReassembler.TooLongException e) {
      abort(1009, e.getMessage());
      return null;
    }
    if (message != null) {
      dispatch(message);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    terminate(statusCode, reason);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    terminate(
        1006, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
  }

  private void dispatch(String message) {
    JsonNode frame;
    try {
      frame = ClientJson.parse(message, "a frame from the server");
    } catch (ChatException e) {
      notify(() -> listener.onError(e));
      return;
    }
    String type = frame.path("type").asText();
    if (userId == null) {
      handshake(type, frame);
      return;
    }
    String room = frame.hasNonNull("room") ? frame.get("room").asText() : null;
    switch (type) {
      case "message":
        ChatMessage m = ClientJson.message(frame, "");
        notify(() -> listener.onMessage(m));
        break;
      case "presence":
        notify(
            () ->
                listener.onPresence(
                    room, frame.path("userId").asText(), frame.path("event").asText()));
        break;
      case "joined":
        Joined joined = joined(frame, room);
        notify(() -> listener.onJoined(joined));
        answer(type, frame, room);
        break;
      case "membership":
        notify(
            () ->
                listener.onMembership(
                    room, frame.path("event").asText(), frame.path("by").asText()));
        break;
      case "left":
        if (!"removed".equals(frame.path("reason").asText())) {
          answer(type, frame, room);
        }
        break;
      case "ack":
      case "history":
      case "rooms":
        answer(type, frame, room);
        break;
      case "error":
        error(frame, room);
        break;
      default:
        break; // a newer server's frame: ignore it
    }
  }

  private void handshake(String type, JsonNode frame) {
    if (type.equals("welcome")) {
      userId = frame.path("userId").asText();
      server = frame.path("server").asText("");
      if (!welcomed.complete(this)) {
        abort(1006, "welcome came too late"); // the caller has given up
      }
    } else if (type.equals("error")) {
      welcomed.completeExceptionally(
          new ChatException(
              frame.path("code").asText("unauthorized"),
              0,
              frame.path("message").asText("refused")));
      abort(1008, "refused");
    } else {
      welcomed.completeExceptionally(
          new ChatException("internal", 0, "the server answered hello with '" + type + "'"));
      abort(1002, "no welcome");
    }
  }

  private void answer(String type, JsonNode frame, String room) {
    String ref = frame.hasNonNull("ref") ? frame.get("ref").asText() : null;
    PendingRequests.Pending p = pending.take(type, ref, room);
    if (p != null) {
      p.future().complete(frame);
    }
  }

  private void error(JsonNode frame, String room) {
    ChatException e =
        new ChatException(
            frame.path("code").asText("internal"),
            0,
            frame.path("message").asText("error"),
            frame.path("retryAfterMs").asLong(0));
    String ref = frame.hasNonNull("ref") ? frame.get("ref").asText() : null;
    PendingRequests.Pending p = pending.takeForError(ref, room);
    if (p != null) {
      p.future().completeExceptionally(e);
    } else {
      notify(() -> listener.onError(e));
    }
  }

  private CompletableFuture<JsonNode> request(
      String answerType, String room, String description, ObjectNode frame) {
    return request(answerType, room, Refs.next(), description, frame);
  }

  private CompletableFuture<JsonNode> request(
      String answerType, String room, String ref, String description, ObjectNode frame) {
    PendingRequests.Pending p;
    try {
      p = pending.add(ref, answerType, room, description);
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    }
    frame.put("ref", ref); // echoed in errors, so they find their request
    Outbox out = outbox;
    if (out == null || !out.offer(ClientJson.write(frame))) {
      pending.remove(p);
      return CompletableFuture.failedFuture(
          new ChatException("unavailable", 0, "the chat socket is closing"));
    }
    after(
        settings,
        () -> {
          if (pending.remove(p)) {
            p.future()
                .completeExceptionally(
                    unavailable("no answer to " + description + " within " + seconds(settings)));
          }
        });
    return p.future();
  }

  private Joined joined(JsonNode frame, String room) {
    String roomId = frame.path("room").asText(room);
    return new Joined(
        roomId,
        frame.path("lastSeq").asLong(),
        frame.path("complete").asBoolean(true),
        ClientJson.strings(frame.path("online")),
        ClientJson.messages(frame.path("history"), roomId));
  }

  private void failOpening(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ChatException e =
        cause instanceof WebSocketHandshakeException h
            ? unavailable(
                "the server refused the chat socket (HTTP " + h.getResponse().statusCode() + ")")
            : RestCalls.unreachable(settings.uri(), cause, settings.timeout());
    welcomed.completeExceptionally(e);
    terminated.set(true);
    closed.complete(null);
  }

  private void terminate(int code, String reason) {
    if (!terminated.compareAndSet(false, true)) {
      return;
    }
    String why =
        "the chat socket closed ("
            + code
            + (reason == null || reason.isEmpty() ? "" : " " + reason)
            + ")";
    boolean wasOpen =
        !welcomed.completeExceptionally(
                new ChatException(code == 1008 ? "unauthorized" : "unavailable", 0, why))
            && !welcomed.isCompletedExceptionally();
    for (PendingRequests.Pending p : pending.closeAll(why)) {
      p.future().completeExceptionally(new ChatException("unavailable", 0, why));
    }
    closed.complete(null);
    if (wasOpen) {
      notify(() -> listener.onClose(code, reason == null ? "" : reason));
    }
  }

  /** Drops the connection without a close handshake; the listener hears {@code code}. */
  private void abort(int code, String reason) {
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
    }
    terminate(code, reason);
  }

  private static String seconds(ConnectionSettings settings) {
    long ms = settings.timeout().toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private ChatException unavailable(String what) {
    return new ChatException("unavailable", 0, what + " from " + settings.uri());
  }

  private static void after(ConnectionSettings settings, Runnable task) {
    CompletableFuture.delayedExecutor(
            settings.timeout().toMillis(), TimeUnit.MILLISECONDS, settings.executor())
        .execute(task);
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // a listener's failure must not break the socket; the contract says it is ignored
    }
  }
}
