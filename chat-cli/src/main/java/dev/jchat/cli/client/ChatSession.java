package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A signed-in chat, without a terminal: one socket at a time, the joined rooms and the
 * current one, the messages typed until the server acks them. When the connection drops it
 * says so, reconnects with {@link Backoff}, rejoins every room with {@code since} = the last
 * {@code seq} shown, shows what was missed once ({@link RoomLog}), and sends again what was
 * not acked, with the same {@code ref} so that nothing is stored twice. Messages go out one at
 * a time, so they are stored in the order typed.
 *
 * <p>Thread-safe: commands come from the console's thread, socket events from the socket's,
 * reconnects and acks run on the session's own thread. State is guarded by {@code this};
 * lines go to the {@link Output} outside the lock.
 */
final class ChatSession implements AutoCloseable {
  private final ChatClient client;
  private final SignIn.Credentials credentials;
  private final Output out;
  private final Renderer render;
  private final Settings settings;
  private final Backoff backoff;
  private final ScheduledExecutorService worker;

  private final Map<String, RoomLog> rooms = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> unacked = new ArrayDeque<>();
  private String current;
  private ChatSocket socket;
  private int generation;
  private Outgoing inFlight;
  private int failedSends;
  private boolean closed;

  /** Where the session's lines go. Called from several threads, one line at a time. */
  interface Output {
    /** A chat message: the program's output proper. */
    void show(String line);

    /** Everything else: notices, presence, errors, command output. */
    void notice(String line);
  }

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

  private record Outgoing(String roomId, String text, String ref) {}

  private record Line(boolean message, String text) {}

  ChatSession(ChatClient client, SignIn.Credentials credentials, Output out, Renderer render, Settings settings) {
    this.client = client;
    this.credentials = credentials;
    this.out = out;
    this.render = render;
    this.settings = settings;
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), Math::random);
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chat-session");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects and joins {@code roomIds}, the first becoming the current room; waits at most
   * the client's timeout for the joins. When the server cannot be reached it keeps trying in
   * the background.
   */
  void open(List<String> roomIds) {
    synchronized (this) {
      for (String roomId : roomIds) rooms.putIfAbsent(roomId, new RoomLog(roomId));
      if (current == null && !roomIds.isEmpty()) current = roomIds.get(0);
    }
    List<CompletableFuture<ChatSocket.Joined>> joins;
    try {
      joins = connect(null);
    } catch (ChatException e) {
      notice(render.error(e.getMessage() + "; trying again in the background"));
      worker.execute(() -> reconnect(1));
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
  synchronized String prompt() {
    return current == null ? "> " : "[" + current + "] > ";
  }

  synchronized String currentRoom() {
    return current;
  }

  synchronized String userId() {
    return credentials.userId();
  }

  /** The joined rooms, in the order joined. */
  synchronized List<String> joinedRooms() {
    return List.copyOf(rooms.keySet());
  }

  /** Sends a message to the current room; it is sent again after a reconnect until acked. */
  void say(String text) {
    String problem = null;
    boolean offline = false;
    synchronized (this) {
      if (current == null) {
        problem = "you are in no room: /join ROOM first (/rooms lists them)";
      } else if (unacked.size() >= settings.maxUnacked()) {
        problem = unacked.size() + " messages are waiting for the server already; try again in a moment";
      } else {
        unacked.add(new Outgoing(current, text, "t-" + UUID.randomUUID()));
        offline = socket == null;
      }
    }
    if (problem != null) notice(render.error(problem));
    else if (offline) notice(render.notice("offline: the message goes out once reconnected"));
    pumpSends();
  }

  /**
   * Waits until every message typed so far is acked or refused, for at most {@code patience}
   * without progress.
   *
   * @return true when none is left waiting
   */
  synchronized boolean awaitSent(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    int left = unacked.size();
    while (!unacked.isEmpty()) {
      long wait = deadline - System.nanoTime();
      if (wait <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, wait);
      if (unacked.size() < left) {
        left = unacked.size();
        deadline = System.nanoTime() + patience.toNanos();
      }
    }
    return true;
  }

  /** Waits while {@code limit} messages or more wait for their ack; false after {@code patience}. */
  synchronized boolean awaitRoomToSend(int limit, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (unacked.size() >= limit) {
      long wait = deadline - System.nanoTime();
      if (wait <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, wait);
    }
    return true;
  }

  /** How many messages typed so far the server refused. */
  synchronized int failedSends() {
    return failedSends;
  }

  /** How many messages wait for their ack. */
  synchronized int unackedCount() {
    return unacked.size();
  }

  /** Joins a room (or switches to it when joined already) and makes it the current one. */
  void join(String roomId) {
    ChatSocket s;
    String before;
    boolean already;
    synchronized (this) {
      before = current;
      current = roomId;
      RoomLog log = rooms.get(roomId);
      already = log != null && log.wasJoined();
      if (!already) rooms.putIfAbsent(roomId, new RoomLog(roomId));
      s = socket;
    }
    if (already) {
      notice(render.notice("now in " + roomId));
      return;
    }
    if (s == null) {
      notice(render.notice("offline: joining " + roomId + " once reconnected"));
      return;
    }
    try {
      await(s.join(roomId));
    } catch (ChatException e) {
      synchronized (this) {
        RoomLog log = rooms.get(roomId);
        if (log != null && !log.wasJoined()) rooms.remove(roomId);
        if (roomId.equals(current)) current = before;
      }
      notice(render.error("cannot join " + roomId + ": " + e.getMessage()));
    }
  }

  /** Leaves a room, the current one when null; the latest joined becomes the current one. */
  void leave(String roomId) {
    ChatSocket s = null;
    String room;
    String problem = null;
    synchronized (this) {
      room = roomId != null ? roomId : current;
      if (room == null) {
        problem = "you are in no room";
      } else if (rooms.remove(room) == null) {
        problem = "you are not in " + room;
      } else {
        if (room.equals(current)) current = rooms.isEmpty() ? null : List.copyOf(rooms.keySet()).get(rooms.size() - 1);
        s = socket;
      }
    }
    if (problem != null) {
      notice(render.error(problem));
      return;
    }
    try {
      if (s != null) await(s.leave(room));
    } catch (ChatException e) {
      notice(render.error("leaving " + room + ": " + e.getMessage()));
    }
    String now = currentRoom();
    notice(render.notice("left " + room + (now == null ? "; /join a room to chat" : "; now in " + now)));
  }

  /** Makes a joined room the current one. */
  void switchTo(String roomId) {
    synchronized (this) {
      if (rooms.containsKey(roomId)) current = roomId;
    }
    if (roomId.equals(currentRoom())) notice(render.notice("now in " + roomId));
    else notice(render.error("you are not in " + roomId + ": /join " + roomId));
  }


  /** The user ids online in a joined room, sorted; empty when not joined. */
  synchronized List<String> online(String roomId) {
    RoomLog log = rooms.get(roomId);
    return log == null ? List.of() : log.online();
  }

  /** Shows up to {@code count} messages of the current room older than those shown. */
  void history(int count) {
    String room;
    long before;
    ChatSocket s;
    synchronized (this) {
      room = current;
      RoomLog log = room == null ? null : rooms.get(room);
      if (log == null) {
        notice(render.error("you are in no room"));
        return;
      }
      before = log.historyBefore();
      s = socket;
    }
    if (s == null) {
      notice(render.error("offline: try again once reconnected"));
      return;
    }
    List<ChatMessage> page;
    try {
      page = await(s.history(room, before, count));
    } catch (ChatException e) {
      notice(render.error("history of " + room + ": " + e.getMessage()));
      return;
    }
    List<Line> lines = new ArrayList<>();
    synchronized (this) {
      RoomLog log = rooms.get(room);
      List<ChatMessage> older = log == null ? List.of() : log.older(page);
      if (older.isEmpty()) {
        lines.add(new Line(false, render.notice("no older messages in " + room)));
      } else {
        lines.add(new Line(false, render.heading(older.size() + " older " + plural(older.size(), "message") + " in " + room)));
        for (ChatMessage m : older) lines.add(new Line(true, render.message(m, false)));
      }
    }
    emit(lines);
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
      notifyAll();
    }
    worker.shutdownNow();
    if (s != null) s.close();
  }

  /**
   * Opens a socket, rejoins every room, resends what was not acked; returns the joins.
   *
   * @param announce said once connected, before the rejoined rooms' messages; or null
   */
  private List<CompletableFuture<ChatSocket.Joined>> connect(String announce) {
    int gen;
    synchronized (this) {
      gen = ++generation;
    }
    ChatSocket s = client.connect(new Events(gen));
    if (announce != null) notice(render.notice(announce));
    List<CompletableFuture<ChatSocket.Joined>> joins = new ArrayList<>();
    synchronized (this) {
      if (closed || gen != generation) {
        worker.execute(s::close);
        return joins;
      }
      socket = s;
      for (RoomLog log : rooms.values()) {
        String room = log.roomId();
        CompletableFuture<ChatSocket.Joined> join = log.wasJoined() ? s.join(room, log.since()) : s.join(room);
        joins.add(join.whenComplete((joined, failure) -> {
          if (failure != null) rejoinFailed(room, failure);
        }));
      }
    }
    pumpSends();
    return joins;
  }

  private void rejoinFailed(String room, Throwable failure) {
    ChatException e = unwrap(failure);
    if (e.code().equals("unavailable")) return; // the connection went: the next one rejoins
    synchronized (this) {
      rooms.remove(room);
      if (room.equals(current)) current = rooms.isEmpty() ? null : rooms.keySet().iterator().next();
    }
    notice(render.error("cannot join " + room + ": " + e.getMessage()));
  }

  private void reconnect(int attempt) {
    synchronized (this) {
      if (closed || socket != null) return;
    }
    try {
      connect("reconnected");
    } catch (ChatException e) {
      if (e.code().equals("unauthorized") && signInAgain()) {
        worker.execute(() -> reconnect(attempt + 1));
        return;
      }
      Duration wait = backoff.delay(attempt);
      if (attempt > 1 && Integer.bitCount(attempt) == 1) { // attempts 2, 4, 8...: say it, without flooding
        notice(render.notice("still offline (" + reason(e) + "), next try in " + seconds(wait)));
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
        notice(render.error("the server no longer accepts this sign-in: /logout, then sign in again"));
      }
      return false;
    }
  }

  private void pumpSends() {
    Outgoing next;
    ChatSocket s;
    int gen;
    synchronized (this) {
      if (closed || inFlight != null || unacked.isEmpty() || socket == null) return;
      next = unacked.peek();
      inFlight = next;
      s = socket;
      gen = generation;
    }
    CompletableFuture<ChatSocket.Ack> ack;
    try {
      ack = s.send(next.roomId(), next.text(), next.ref());
    } catch (IllegalArgumentException e) {
      ack = CompletableFuture.failedFuture(new ChatException("bad_request", 0, e.getMessage()));
    }
    ack.whenComplete((a, failure) -> {
      if (!worker.isShutdown()) worker.execute(() -> sent(next, gen, failure));
    });
  }

  private void sent(Outgoing o, int gen, Throwable failure) {
    Duration retry = null;
    String problem = null;
    synchronized (this) {
      if (inFlight != o) return;
      inFlight = null;
      ChatException e = failure == null ? null : unwrap(failure);
      if (e == null) {
        unacked.remove(o);
      } else if (e.code().equals("unavailable")) {
        if (gen == generation && socket != null && socket.isOpen()) retry = Duration.ofSeconds(1);
        else return; // the reconnect sends it again
      } else if (e.code().equals("rate_limited")) {
        retry = Duration.ofSeconds(1);
      } else {
        unacked.remove(o);
        failedSends++;
        problem = "not sent to " + o.roomId() + ": " + e.getMessage();
      }
      notifyAll();
    }
    if (problem != null) notice(render.error(problem));
    if (retry != null) schedule(this::pumpSends, retry);
    else pumpSends();
  }

  private void onJoined(int gen, ChatSocket.Joined joined) {
    List<Line> lines = new ArrayList<>();
    synchronized (this) {
      RoomLog log = rooms.get(joined.roomId());
      if (gen != generation || log == null) return;
      boolean rejoin = log.wasJoined();
      List<ChatMessage> fresh = log.joined(joined.history(), joined.complete(), joined.online());
      boolean showRoom = !joined.roomId().equals(current);
      if (rejoin && !fresh.isEmpty()) {
        String missed = fresh.size() + " missed " + plural(fresh.size(), "message") + " in " + joined.roomId();
        lines.add(new Line(false, render.heading(missed)));
      }
      for (ChatMessage m : fresh) lines.add(new Line(true, render.message(m, showRoom)));
      if (!joined.complete()) {
        lines.add(new Line(false, render.notice("more were missed than the server sends at once: /history shows them")));
      }
      if (!rejoin) {
        lines.add(new Line(false, render.notice("joined " + joined.roomId() + ", online: " + String.join(", ", log.online()))));
      }
    }
    emit(lines);
  }

  private void onMessage(int gen, ChatMessage m) {
    String line;
    synchronized (this) {
      RoomLog log = rooms.get(m.roomId());
      if (gen != generation || log == null || !log.accept(m)) return;
      line = render.message(m, !m.roomId().equals(current));
    }
    out.show(line);
  }

  private void onPresence(int gen, String roomId, String userId, String event) {
    synchronized (this) {
      RoomLog log = rooms.get(roomId);
      if (gen != generation || log == null) return;
      log.presence(userId, event);
      if (userId.equals(credentials.userId())) return;
    }
    notice(render.presence(roomId, userId, event));
  }

  private void onClose(int gen, int code, String reason) {
    synchronized (this) {
      if (closed || gen != generation) return;
      socket = null;
      inFlight = null;
    }
    notice(render.error("connection lost (" + closeReason(code, reason) + "); reconnecting"));
    schedule(() -> reconnect(1), backoff.delay(1));
  }

  private void schedule(Runnable task, Duration delay) {
    if (worker.isShutdown()) return;
    try {
      worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed meanwhile: nothing more to do
    }
  }

  private <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(client.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new ChatException("unavailable", 0, "no answer from the server");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException("unavailable", 0, "interrupted");
    }
  }

  private void emit(List<Line> lines) {
    for (Line line : lines) {
      if (line.message()) out.show(line.text());
      else out.notice(line.text());
    }
  }

  private void notice(String line) {
    out.notice(line);
  }

  private static ChatException unwrap(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return t instanceof ChatException e ? e : new ChatException("internal", 0, String.valueOf(t.getMessage()), t);
  }

  /** The end of a failure's message: "connection refused" of "cannot reach ...: connection refused". */
  private static String reason(ChatException e) {
    String message = String.valueOf(e.getMessage());
    int colon = message.lastIndexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private static String closeReason(int code, String reason) {
    String what;
    switch (code) {
      case 1000: what = "closed by the server"; break;
      case 1001: what = "the server is going away"; break;
      case 1006: what = "the connection broke"; break;
      case 1008: what = "the server refused this connection"; break;
      case 1009: what = "a message was too big"; break;
      default: what = "closed with code " + code;
    }
    return reason == null || reason.isBlank() ? what : what + ": " + reason;
  }

  private static String seconds(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  static String plural(int n, String word) {
    return n == 1 ? word : word + "s";
  }

  /** Hands the socket's events of one connection to the session; stale ones are ignored. */
  private final class Events implements ChatSocket.Listener {
    private final int gen;

    Events(int gen) {
      this.gen = gen;
    }

    @Override
    public void onMessage(ChatMessage message) {
      ChatSession.this.onMessage(gen, message);
    }

    @Override
    public void onPresence(String roomId, String userId, String event) {
      ChatSession.this.onPresence(gen, roomId, userId, event);
    }

    @Override
    public void onJoined(ChatSocket.Joined joined) {
      ChatSession.this.onJoined(gen, joined);
    }

    @Override
    public void onError(ChatException error) {
      notice(render.error(error.code() + ": " + error.getMessage()));
    }

    @Override
    public void onClose(int code, String reason) {
      ChatSession.this.onClose(gen, code, reason);
    }
  }
}
