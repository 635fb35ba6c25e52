package dev.jchat.internal.client;

import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatRoom;
import dev.jchat.ChatSocket;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A chat socket that outlives its connections ({@link dev.jchat.ChatClient.Builder#reconnect}).
 * When a connection breaks it opens another ({@link SocketFailover}: on the next server), waiting a
 * backoff between failed attempts, until it is closed or its token is refused; on each new
 * connection it joins every followed room again with {@code since} = the last seq its listener was
 * given ({@link RoomCursors} fills a gap the history cap left and drops what was given already),
 * then sends again, with the same {@code ref}, every send still without an ack, in the order made.
 *
 * <p>Thread-safe: the connection, its generation and the sends are guarded by {@code this}; frames
 * are queued under it (they never block), so sends keep their order across reconnects. The listener
 * is called on the current connection's thread (events of an older connection are dropped), so its
 * calls stay in order; with no lock held, except for a request that fails at once.
 */
public final class ResumingSocket implements ChatSocket {
  private static final long FIRST_DELAY_MILLIS = 100;
  private static final long MAX_DELAY_MILLIS = 5_000;

  private final HttpClient http;
  private final ConnectionSettings settings;
  private final Servers servers;
  private final String token;
  private final Listener listener;
  private final RoomCursors rooms = new RoomCursors();
  private final Map<String, Outgoing> unacked = new LinkedHashMap<>();
  private ChatSocket connection; // null while reconnecting
  private RoomResume resume; // the current connection's
  private int generation;
  private boolean closed;
  private String refusal; // the code of an error that ended the session: no reconnect
  private volatile String userId;
  private volatile String server = "";

  private record Outgoing(String roomId, String text, String ref, CompletableFuture<Ack> result) {}

  private ResumingSocket(
      HttpClient http,
      ConnectionSettings settings,
      Servers servers,
      String token,
      Listener listener) {
    this.http = http;
    this.settings = settings;
    this.servers = servers;
    this.token = token;
    this.listener = listener;
  }

  /** Opens the first connection; the future fails as {@link SocketFailover#open} does. */
  public static CompletableFuture<ChatSocket> open(
      HttpClient http,
      ConnectionSettings settings,
      Servers servers,
      String token,
      Listener listener) {
    ResumingSocket socket = new ResumingSocket(http, settings, servers, token, listener);
    int gen;
    synchronized (socket) {
      gen = ++socket.generation;
    }
    return SocketFailover.open(http, settings, servers, token, socket.new Events(gen))
        .thenApply(
            c -> {
              socket.online(c, gen, false);
              return socket;
            });
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
    ChatSocket c = connected();
    return c == null ? reconnecting() : c.join(roomId);
  }

  @Override
  public CompletableFuture<Joined> join(String roomId, long since) {
    ChatSocket c = connected();
    return c == null ? reconnecting() : c.join(roomId, since);
  }

  /** Sent now, or once reconnected; again after each reconnect until acked or refused. */
  @Override
  public CompletableFuture<Ack> send(String roomId, String text, String ref) {
    if (ref != null && (ref.isEmpty() || ref.length() > 64)) {
      throw new IllegalArgumentException("ref must be 1 to 64 characters");
    }
    Outgoing o =
        new Outgoing(roomId, text, ref == null ? Refs.next() : ref, new CompletableFuture<>());
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(gone());
      }
      if (unacked.size() >= settings.maxPendingRequests()) {
        return CompletableFuture.failedFuture(
            new ChatException("rate_limited", 0, "too many sends wait for their ack"));
      }
      unacked.put(o.ref(), o);
      if (connection != null) {
        attempt(o, connection, generation); // under the lock: after any resend, in order
      }
    }
    return o.result();
  }

  @Override
  public CompletableFuture<Void> leave(String roomId) {
    rooms.forget(roomId); // not rejoined by a reconnect, whatever the answer
    ChatSocket c = connected();
    return c == null ? CompletableFuture.completedFuture(null) : c.leave(roomId);
  }

  @Override
  public CompletableFuture<List<ChatMessage>> history(String roomId, long before, int limit) {
    ChatSocket c = connected();
    return c == null ? reconnecting() : c.history(roomId, before, limit);
  }

  @Override
  public CompletableFuture<List<ChatRoom>> rooms() {
    ChatSocket c = connected();
    return c == null ? reconnecting() : c.rooms();
  }

  /** True until closed, or until the server refused the session; also while reconnecting. */
  @Override
  public synchronized boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() {
    ChatSocket c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
    end(1000, "", gone());
  }

  private synchronized ChatSocket connected() {
    return connection;
  }

  private <T> CompletableFuture<T> reconnecting() {
    return CompletableFuture.failedFuture(
        new ChatException("unavailable", 0, closed() ? gone().getMessage() : "reconnecting"));
  }

  private synchronized boolean closed() {
    return closed;
  }

  private ChatException gone() {
    return new ChatException("unavailable", 0, "the chat socket is closed");
  }

  /**
   * A connection was welcomed: rejoin every room, then send again what has no ack. Both only queue
   * frames, so they are made under the lock: a send made meanwhile goes out after them.
   */
  private void online(ChatSocket c, int gen, boolean reconnected) {
    synchronized (this) {
      if (closed || gen != generation) {
        CompletableFuture.runAsync(c::close, settings.executor());
        return;
      }
      userId = c.userId();
      server = c.server();
      connection = c;
      resume = new RoomResume(c, rooms, listener, settings.executor(), () -> current(gen));
      resume.start(rooms.resumeAll());
      for (Outgoing o : new ArrayList<>(unacked.values())) {
        attempt(o, c, gen);
      }
    }
    if (reconnected) {
      tell(() -> listener.onReconnected(servers.current()));
    }
  }

  private void attempt(Outgoing o, ChatSocket c, int gen) {
    CompletableFuture<Ack> ack;
    try {
      ack = c.send(o.roomId(), o.text(), o.ref());
    } catch (RuntimeException e) {
      ack = CompletableFuture.failedFuture(e);
    }
    ack.whenComplete((a, failure) -> settle(o, c, gen, a, failure));
  }

  /**
   * A send's outcome on one connection. Without an answer (the connection broke, or no answer came
   * in time) it stays unacked: the next connection sends it again, or, on a connection still open,
   * it is sent again there after a moment; the same ref is stored once either way.
   */
  private void settle(Outgoing o, ChatSocket c, int gen, Ack a, Throwable failure) {
    ChatException e = failure == null ? null : unwrap(failure);
    boolean noAnswer = e != null && e.code().equals("unavailable") && e.retryAfterMillis() <= 0;
    synchronized (this) {
      if (!unacked.containsKey(o.ref())) {
        return; // settled already, by an attempt on another connection
      }
      if (noAnswer && !closed) {
        if (gen == generation && c.isOpen()) {
          CompletableFuture.delayedExecutor(
                  FIRST_DELAY_MILLIS, TimeUnit.MILLISECONDS, settings.executor())
              .execute(() -> again(o, c, gen));
        }
        return;
      }
      unacked.remove(o.ref());
    }
    if (e == null) {
      o.result().complete(a);
    } else {
      o.result().completeExceptionally(e);
    }
  }

  private void again(Outgoing o, ChatSocket c, int gen) {
    synchronized (this) {
      if (unacked.containsKey(o.ref()) && gen == generation && !closed) {
        attempt(o, c, gen);
      }
    }
  }

  private synchronized RoomResume resumeOf(int gen) {
    return gen == generation && !closed ? resume : null;
  }

  private synchronized boolean current(int gen) {
    return gen == generation && !closed;
  }

  private void disconnected(int gen, int code, String reason) {
    boolean final_;
    synchronized (this) {
      if (closed || gen != generation) {
        return;
      }
      connection = null;
      final_ = refusal != null;
      if (final_) {
        closed = true;
      }
    }
    if (final_) {
      end(code, reason, new ChatException("unauthorized", 0, "the session ended: " + reason));
      return;
    }
    tell(() -> listener.onDisconnected(code, reason));
    reconnectLater(1);
  }

  private void reconnectLater(int attempt) {
    long backoff = Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(attempt - 1, 10));
    long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, settings.executor())
        .execute(() -> reconnect(attempt));
  }

  private void reconnect(int attempt) {
    int gen;
    synchronized (this) {
      if (closed || connection != null) {
        return;
      }
      gen = ++generation;
    }
    SocketFailover.open(http, settings, servers, token, new Events(gen))
        .whenComplete(
            (c, failure) -> {
              if (failure == null) {
                online(c, gen, true);
              } else if (unwrap(failure).code().equals("unauthorized")) {
                refused(unwrap(failure));
              } else {
                reconnectLater(attempt + 1);
              }
            });
  }

  private void refused(ChatException e) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    end(1008, e.getMessage(), e);
  }

  /** Closed for good: what waits for an ack fails, and the listener hears it once. */
  private void end(int code, String reason, ChatException failure) {
    List<Outgoing> left;
    synchronized (this) {
      left = new ArrayList<>(unacked.values());
      unacked.clear();
    }
    for (Outgoing o : left) {
      o.result().completeExceptionally(failure);
    }
    tell(() -> listener.onClose(code, reason));
  }

  static ChatException unwrap(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return t instanceof ChatException e
        ? e
        : new ChatException("internal", 0, String.valueOf(t.getMessage()), t);
  }

  /** Calls the listener; what it throws is ignored, as the contract says. */
  static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // a listener's failure must not break the socket; the contract says it is ignored
    }
  }

  /** One connection's events, passed on while it is the current one. */
  private final class Events implements Listener {
    private final int gen;

    Events(int gen) {
      this.gen = gen;
    }

    @Override
    public void onMessage(ChatMessage message) {
      if (current(gen)) {
        for (ChatMessage m : rooms.live(message)) {
          tell(() -> listener.onMessage(m));
        }
      }
    }

    @Override
    public void onJoined(Joined joined) {
      if (!current(gen)) {
        return;
      }
      RoomResume r = resumeOf(gen);
      if (r != null && r.answers(joined)) {
        return;
      }
      rooms.joined(joined.roomId(), joined.lastSeq());
      tell(() -> listener.onJoined(joined));
    }

    @Override
    public void onPresence(String roomId, String userId, String event) {
      if (current(gen)) {
        tell(() -> listener.onPresence(roomId, userId, event));
      }
    }

    @Override
    public void onMembership(String roomId, String event, String by) {
      if (!current(gen)) {
        return;
      }
      if (event.equals("removed")) {
        rooms.forget(roomId);
      }
      tell(() -> listener.onMembership(roomId, event, by));
    }

    @Override
    public void onError(ChatException error) {
      if (!current(gen)) {
        return;
      }
      if (error.code().equals("unauthorized")) {
        synchronized (ResumingSocket.this) {
          refusal = error.code(); // the session ended: the close that follows is final
        }
      }
      tell(() -> listener.onError(error));
    }

    @Override
    public void onClose(int code, String reason) {
      disconnected(gen, code, reason);
    }
  }
}
