package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A signed-in chat, without a terminal: one socket at a time, the {@link JoinedRooms}, the {@link
 * SendQueue}. When the connection drops it says so, reconnects with {@link Backoff}, rejoins every
 * room with {@code since} = the last {@code seq} shown, shows what was missed once, and sends again
 * what was not acked.
 *
 * <p>Thread-safe: commands come from the console's thread, socket events from the socket's,
 * reconnects and acks run on the session's own worker thread. The socket is guarded by {@code
 * this}; lines go to the {@link Output} with no lock held.
 */
final class ChatSession implements AutoCloseable {
  private final ChatClient client;
  private final SignIn.Credentials credentials;
  private final Output out;
  private final Renderer render;
  private final Backoff backoff;
  private final ScheduledExecutorService worker;
  private final JoinedRooms rooms;
  private final SendQueue sends;
  private ChatSocket socket;
  private int generation;
  private boolean closed;

  /**
   * Tunables.
   *
   * @param initialBackoff the wait before the first reconnect attempt
   * @param maxBackoff the longest wait between attempts
   * @param maxUnacked messages that may wait for their ack; more are refused
   */
  record Settings(Duration initialBackoff, Duration maxBackoff, int maxUnacked) {
    static Settings defaults() {
      return new Settings(Duration.ofMillis(500), Duration.ofSeconds(10), 1000);
    }
  }

  ChatSession(
      ChatClient client,
      SignIn.Credentials credentials,
      Output out,
      Renderer render,
      Settings settings) {
    this.client = client;
    this.credentials = credentials;
    this.out = out;
    this.render = render;
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), Math::random);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "chat-session");
              t.setDaemon(true);
              return t;
            });
    this.rooms = new JoinedRooms(render, credentials.userId());
    this.sends =
        new SendQueue(settings.maxUnacked(), worker, problem -> out.notice(render.error(problem)));
  }

  /**
   * Connects and joins {@code roomIds}, the first becoming the current room; waits at most the
   * client's timeout for the joins. When the server cannot be reached it keeps trying in the
   * background.
   */
  void open(List<String> roomIds) {
    for (String roomId : roomIds) rooms.enter(roomId);
    if (!roomIds.isEmpty()) rooms.switchTo(roomIds.get(0));
    List<CompletableFuture<ChatSocket.Joined>> joins;
    try {
      joins = connect(null);
    } catch (ChatException e) {
      out.notice(render.error(e.getMessage() + "; trying again in the background"));
      run(() -> reconnect(1));
      return;
    }
    for (CompletableFuture<ChatSocket.Joined> join : joins) {
      try {
        await(join);
      } catch (ChatException e) {
        // said by rejoinFailed
      }
    }
  }

  /** The prompt: the current room in brackets. */
  String prompt() {
    return rooms.prompt();
  }

  /** The current room, or null when in none. */
  String currentRoom() {
    return rooms.current();
  }

  /** The rooms joined, in the order joined. */
  List<String> joinedRooms() {
    return rooms.ids();
  }

  /** The user ids online in a joined room, sorted; empty when not joined. */
  List<String> online(String roomId) {
    return rooms.online(roomId);
  }

  /**
   * Sends a message to the current room; it is sent again after a reconnect until acked.
   *
   * @return false when it was refused at once (no room, too many waiting), as said
   */
  boolean say(String text) {
    String room = rooms.current();
    if (room == null) {
      out.notice(render.error("you are in no room: /join ROOM first (/rooms lists them)"));
      return false;
    }
    if (!sends.add(room, text)) {
      out.notice(
          render.error(
              sends.size()
                  + " messages are waiting for the server already; try again in a moment"));
      return false;
    }
    if (!sends.isOnline())
      out.notice(render.notice("offline: the message goes out once reconnected"));
    return true;
  }

  /**
   * Waits until every message typed is acked or refused, for at most {@code patience} without
   * progress.
   */
  boolean awaitSent(Duration patience) throws InterruptedException {
    return sends.awaitEmpty(patience);
  }

  /**
   * Waits until the last message acked has come back from the server as a message and been shown,
   * for at most {@code patience}; false when it did not.
   */
  boolean awaitOwnEcho(Duration patience) throws InterruptedException {
    ChatSocket.Ack last = sends.lastAck();
    return last == null || rooms.awaitShown(last.roomId(), last.seq(), patience);
  }

  /**
   * Waits while {@code limit} messages or more wait for their ack; false after {@code patience}.
   */
  boolean awaitRoomToSend(int limit, Duration patience) throws InterruptedException {
    return sends.awaitBelow(limit, patience);
  }

  /** How many messages the server refused. */
  int failedSends() {
    return sends.refused();
  }

  /** How many messages wait for their ack. */
  int unackedCount() {
    return sends.size();
  }

  /** Joins a room (or switches to it when joined already) and makes it the current one. */
  void join(String roomId) {
    JoinedRooms.Entry entry = rooms.enter(roomId);
    if (entry.joinedAlready()) {
      out.notice(render.notice("now in " + roomId));
      return;
    }
    ChatSocket s = socket();
    if (s == null) {
      out.notice(render.notice("offline: joining " + roomId + " once reconnected"));
      return;
    }
    try {
      await(s.join(roomId));
    } catch (ChatException e) {
      rooms.joinFailed(roomId, entry.previous());
      out.notice(render.error("cannot join " + roomId + ": " + e.getMessage()));
    }
  }

  /** Leaves a room, the current one when null; the latest joined becomes the current one. */
  void leave(String roomId) {
    String room = roomId != null ? roomId : rooms.current();
    if (room == null || !rooms.leave(room)) {
      out.notice(render.error(room == null ? "you are in no room" : "you are not in " + room));
      return;
    }
    ChatSocket s = socket();
    try {
      if (s != null) await(s.leave(room));
    } catch (ChatException e) {
      out.notice(render.error("leaving " + room + ": " + e.getMessage()));
    }
    String now = rooms.current();
    out.notice(
        render.notice(
            "left " + room + (now == null ? "; /join a room to chat" : "; now in " + now)));
  }

  /** Makes a joined room the current one. */
  void switchTo(String roomId) {
    if (rooms.switchTo(roomId)) out.notice(render.notice("now in " + roomId));
    else out.notice(render.error("you are not in " + roomId + ": /join " + roomId));
  }

  /** Shows up to {@code count} messages of the current room older than those shown. */
  void history(int count) {
    String room = rooms.current();
    long before = room == null ? -1 : rooms.historyBefore(room);
    ChatSocket s = socket();
    if (before < 0 || s == null) {
      out.notice(
          render.error(before < 0 ? "you are in no room" : "offline: try again once reconnected"));
      return;
    }
    try {
      out.print(rooms.older(room, await(s.history(room, before, count))));
    } catch (ChatException e) {
      out.notice(render.error("history of " + room + ": " + e.getMessage()));
    }
  }

  /** Closes the socket and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    ChatSocket s;
    synchronized (this) {
      if (closed) return;
      closed = true;
      s = socket;
      socket = null;
    }
    sends.offline();
    worker.shutdownNow();
    if (s != null) s.close();
  }

  private synchronized ChatSocket socket() {
    return socket;
  }

  /**
   * Opens a socket, joins every room again, resends what was not acked; returns the joins.
   *
   * @param announce said once connected, before the rooms' messages; or null
   */
  private List<CompletableFuture<ChatSocket.Joined>> connect(String announce) {
    int gen;
    synchronized (this) {
      gen = ++generation;
    }
    ChatSocket s = client.connect(new Events(gen));
    if (announce != null) out.notice(render.notice(announce));
    List<CompletableFuture<ChatSocket.Joined>> joins = new ArrayList<>();
    synchronized (this) {
      if (closed || gen != generation) {
        run(s::close);
        return joins;
      }
      socket = s;
    }
    for (Map.Entry<String, Long> rejoin : rooms.rejoins().entrySet()) {
      String room = rejoin.getKey();
      CompletableFuture<ChatSocket.Joined> join =
          rejoin.getValue() < 0 ? s.join(room) : s.join(room, rejoin.getValue());
      joins.add(
          join.whenComplete(
              (joined, failure) -> {
                if (failure != null) rejoinFailed(room, failure);
              }));
    }
    sends.online(s, gen); // after the joins: the socket sends in order
    return joins;
  }

  private void rejoinFailed(String room, Throwable failure) {
    ChatException e = SendQueue.unwrap(failure);
    if (e.code().equals("unavailable")) return; // the connection went: the next one rejoins
    rooms.joinFailed(room, null);
    out.notice(render.error("cannot join " + room + ": " + e.getMessage()));
  }

  private void reconnect(int attempt) {
    synchronized (this) {
      if (closed || socket != null) return;
    }
    try {
      connect("reconnected");
    } catch (ChatException e) {
      if (e.code().equals("unauthorized") && signInAgain()) {
        run(() -> reconnect(attempt + 1));
        return;
      }
      Duration wait = backoff.delay(attempt);
      if (attempt > 1 && Integer.bitCount(attempt) == 1) { // attempts 2, 4, 8...: said, not flooded
        out.notice(
            render.notice("still offline (" + reason(e) + "), next try in " + seconds(wait)));
      }
      schedule(() -> reconnect(attempt + 1), wait);
    }
  }

  private boolean signInAgain() {
    try {
      client.login(credentials.userId(), credentials.password());
      return true;
    } catch (ChatException e) {
      if (e.code().equals("unauthorized")) {
        out.notice(
            render.error("the server no longer accepts this sign-in: /logout, then sign in again"));
      }
      return false;
    }
  }

  private void onClose(int gen, int code, String reason) {
    synchronized (this) {
      if (closed || gen != generation) return;
      socket = null;
    }
    sends.offline();
    out.notice(render.error("connection lost (" + closeReason(code, reason) + "); reconnecting"));
    schedule(() -> reconnect(1), backoff.delay(1));
  }

  private synchronized boolean current(int gen) {
    return gen == generation && !closed;
  }

  private void run(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing more to do
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing more to do
    }
  }

  private <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(client.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw SendQueue.unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new ChatException("unavailable", 0, "no answer from the server");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException("unavailable", 0, "interrupted");
    }
  }

  /**
   * The end of a failure's message: "connection refused" of "cannot reach ...: connection refused".
   */
  private static String reason(ChatException e) {
    String message = String.valueOf(e.getMessage());
    int colon = message.lastIndexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private static String closeReason(int code, String reason) {
    String what;
    switch (code) {
      case 1000:
        what = "closed by the server";
        break;
      case 1001:
        what = "the server is going away";
        break;
      case 1006:
        what = "the connection broke";
        break;
      case 1008:
        what = "the server refused this connection";
        break;
      case 1009:
        what = "a message was too big";
        break;
      default:
        what = "closed with code " + code;
    }
    return reason == null || reason.isBlank() ? what : what + ": " + reason;
  }

  private static String seconds(Duration d) {
    return d.toMillis() < 1000
        ? d.toMillis() + " ms"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** Hands one connection's events to the session; those of an older connection are ignored. */
  private final class Events implements ChatSocket.Listener {
    private final int gen;

    Events(int gen) {
      this.gen = gen;
    }

    @Override
    public void onMessage(ChatMessage message) {
      String line = current(gen) ? rooms.message(message) : null;
      if (line != null) out.show(line);
    }

    @Override
    public void onPresence(String roomId, String userId, String event) {
      String line = current(gen) ? rooms.presence(roomId, userId, event) : null;
      if (line != null) out.notice(line);
    }

    @Override
    public void onJoined(ChatSocket.Joined joined) {
      if (current(gen)) out.print(rooms.joined(joined));
    }

    @Override
    public void onError(ChatException error) {
      if (current(gen)) out.notice(render.error(error.code() + ": " + error.getMessage()));
    }

    @Override
    public void onClose(int code, String reason) {
      ChatSession.this.onClose(gen, code, reason);
    }
  }
}
