package dev.jchat.cli.client;

import dev.jchat.ChatClient;
import dev.jchat.ChatException;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A signed-in chat, without a terminal: the room commands (say, join, leave, switch, history) over
 * the {@link JoinedRooms} and the {@link SendQueue}. A {@link ConnectionSupervisor} keeps it
 * connected, {@link SessionNotices} words what it says, {@link SendProgress} tells how far the
 * messages typed have got.
 *
 * <p>Thread-safe: commands come from the console's thread (or script mode's), socket events from
 * the socket's, reconnects and acks run on the session's own worker thread.
 */
final class ChatSession implements AutoCloseable {
  private final ChatClient client;
  private final Output out;
  private final SessionNotices say;
  private final JoinedRooms rooms;
  private final SendQueue sends;
  private final SendProgress progress;
  private final ConnectionSupervisor connection;

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
    this.out = out;
    this.say = new SessionNotices(out, render);
    ScheduledExecutorService worker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "chat-session");
              t.setDaemon(true);
              return t;
            });
    this.rooms = new JoinedRooms(render, credentials.userId());
    this.sends = new SendQueue(settings.maxUnacked(), worker, say::sendProblem);
    this.progress = new SendProgress(sends, rooms);
    Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), Math::random);
    this.connection =
        new ConnectionSupervisor(client, credentials, rooms, sends, out, say, backoff, worker);
  }

  /**
   * Connects and joins {@code roomIds}, the first becoming the current room; waits at most the
   * client's timeout for the joins. When the server cannot be reached it keeps trying in the
   * background.
   */
  void open(List<String> roomIds) {
    for (String roomId : roomIds) {
      rooms.enter(roomId);
    }
    if (!roomIds.isEmpty()) {
      rooms.switchTo(roomIds.get(0));
    }
    for (CompletableFuture<ChatSocket.Joined> join : connection.start()) {
      try {
        await(join);
      } catch (ChatException e) {
        // said by the supervisor
      }
    }
  }

  /** How far the messages typed have got. */
  SendProgress progress() {
    return progress;
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
      say.noRoomToSay();
      return false;
    }
    if (!sends.add(room, text)) {
      say.tooManyWaiting(sends.size());
      return false;
    }
    if (!sends.isOnline()) {
      say.sendsOnceReconnected();
    }
    return true;
  }

  /** Joins a room (or switches to it when joined already) and makes it the current one. */
  void join(String roomId) {
    JoinedRooms.Entry entry = rooms.enter(roomId);
    if (entry.joinedAlready()) {
      say.nowIn(roomId);
      return;
    }
    ChatSocket s = connection.socket();
    if (s == null) {
      say.joinsOnceReconnected(roomId);
      return;
    }
    try {
      await(s.join(roomId));
    } catch (ChatException e) {
      rooms.joinFailed(roomId, entry.previous());
      say.cannotJoin(roomId, e);
    }
  }

  /** Leaves a room, the current one when null; the latest joined becomes the current one. */
  void leave(String roomId) {
    String room = roomId != null ? roomId : rooms.current();
    if (room == null || !rooms.leave(room)) {
      if (room == null) {
        say.inNoRoom();
      } else {
        say.notIn(room);
      }
      return;
    }
    ChatSocket s = connection.socket();
    try {
      if (s != null) {
        await(s.leave(room));
      }
    } catch (ChatException e) {
      say.leaving(room, e);
    }
    say.left(room, rooms.current());
  }

  /** Makes a joined room the current one. */
  void switchTo(String roomId) {
    if (rooms.switchTo(roomId)) {
      say.nowIn(roomId);
    } else {
      say.cannotSwitch(roomId);
    }
  }

  /** Shows up to {@code count} messages of the current room older than those shown. */
  void history(int count) {
    String room = rooms.current();
    long before = room == null ? -1 : rooms.historyBefore(room);
    ChatSocket s = connection.socket();
    if (before < 0) {
      say.inNoRoom();
      return;
    }
    if (s == null) {
      say.historyOffline();
      return;
    }
    try {
      out.print(rooms.older(room, await(s.history(room, before, count))));
    } catch (ChatException e) {
      say.historyFailed(room, e);
    }
  }

  /** Closes the socket and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    connection.close();
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
}
