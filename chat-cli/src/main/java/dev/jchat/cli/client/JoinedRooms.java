package dev.jchat.cli.client;

import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rooms a session is in, which one is current, and what was shown of each ({@link RoomLog}):
 * turns the socket's events into the lines to show, each message once. Messages from a room that is
 * not the current one name it. Thread-safe (guarded by {@code this}); it never prints, so no lock
 * is held while printing.
 */
final class JoinedRooms {
  private final Renderer render;
  private final String self;
  private final Map<String, RoomLog> rooms = new LinkedHashMap<>();
  private String current;

  JoinedRooms(Renderer render, String self) {
    this.render = render;
    this.self = self;
  }

  /**
   * What {@link #enter} found: whether the room was joined already, and the room current before.
   */
  record Entry(boolean joinedAlready, String previous) {}

  synchronized String current() {
    return current;
  }

  /** The prompt: the current room in brackets. */
  synchronized String prompt() {
    return current == null ? "> " : "[" + current + "] > ";
  }

  /** The rooms joined or being joined, in the order joined. */
  synchronized List<String> ids() {
    return List.copyOf(rooms.keySet());
  }

  /** Makes a room current, tracking it from now on unless it is already. */
  synchronized Entry enter(String roomId) {
    String previous = current;
    current = roomId;
    RoomLog log = rooms.get(roomId);
    if (log == null) {
      rooms.put(roomId, new RoomLog(roomId));
    }
    return new Entry(log != null && log.wasJoined(), previous);
  }

  /** Forgets a room whose join failed; {@code previous} becomes current again if it was current. */
  synchronized void joinFailed(String roomId, String previous) {
    RoomLog log = rooms.get(roomId);
    if (log != null && !log.wasJoined()) {
      rooms.remove(roomId);
    }
    if (roomId.equals(current)) {
      current = previous != null && rooms.containsKey(previous) ? previous : latest();
    }
  }

  /** Forgets a room left; the latest joined becomes current. False when not in it. */
  synchronized boolean leave(String roomId) {
    if (rooms.remove(roomId) == null) {
      return false;
    }
    if (roomId.equals(current)) {
      current = latest();
    }
    return true;
  }

  /** The signed-in user's id. */
  String self() {
    return self;
  }

  /** Makes a joined room current; false when not in it. */
  synchronized boolean switchTo(String roomId) {
    if (!rooms.containsKey(roomId)) {
      return false;
    }
    current = roomId;
    return true;
  }

  /** What a (re)connect joins: each room and its {@code since}, -1 for a room never joined. */
  synchronized Map<String, Long> rejoins() {
    Map<String, Long> plan = new LinkedHashMap<>();
    for (RoomLog log : rooms.values()) {
      plan.put(log.roomId(), log.wasJoined() ? log.since() : -1L);
    }
    return plan;
  }

  /** The lines for a {@code joined}: what was not shown yet, and a word on the join. */
  synchronized List<Output.Line> joined(ChatSocket.Joined joined) {
    List<Output.Line> lines = new ArrayList<>();
    RoomLog log = rooms.get(joined.roomId());
    if (log == null) {
      return lines;
    }
    boolean rejoin = log.wasJoined();
    List<ChatMessage> fresh = log.joined(joined.history(), joined.complete(), joined.online());
    notifyAll();
    if (rejoin && !fresh.isEmpty()) {
      lines.add(
          Output.Line.notice(
              render.heading(
                  fresh.size()
                      + " missed "
                      + plural(fresh.size(), "message")
                      + " in "
                      + joined.roomId())));
    }
    boolean showRoom = !joined.roomId().equals(current);
    for (ChatMessage m : fresh) {
      lines.add(Output.Line.message(render.message(m, showRoom)));
    }
    if (!joined.complete()) {
      lines.add(
          Output.Line.notice(
              render.notice(
                  "more were missed than the server sends at once: /history shows them")));
    }
    if (!rejoin) {
      lines.add(
          Output.Line.notice(
              render.notice(
                  "joined " + joined.roomId() + ", online: " + String.join(", ", log.online()))));
    }
    return lines;
  }

  /** The line for a live message, or null when it is not to be shown (again). */
  synchronized String message(ChatMessage m) {
    RoomLog log = rooms.get(m.roomId());
    if (log == null || !log.accept(m)) {
      return null;
    }
    notifyAll();
    return render.message(m, !m.roomId().equals(current));
  }

  /**
   * Waits until the message {@code seq} of a room has been handed out to show, for at most {@code
   * patience}.
   *
   * @return false when it was not (not in the room, or no time left)
   */
  synchronized boolean awaitShown(String roomId, long seq, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      RoomLog log = rooms.get(roomId);
      if (log == null) {
        return false;
      }
      if (log.since() >= seq) {
        return true;
      }
      long wait = deadline - System.nanoTime();
      if (wait <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, wait);
    }
  }

  /** The line for a presence event, or null when it is not to be shown. */
  synchronized String presence(String roomId, String userId, String event) {
    RoomLog log = rooms.get(roomId);
    if (log == null) {
      return null;
    }
    log.presence(userId, event);
    return userId.equals(self) ? null : render.presence(roomId, userId, event);
  }

  /** The {@code before} of the next {@code /history} of a room; -1 when not in it. */
  synchronized long historyBefore(String roomId) {
    RoomLog log = rooms.get(roomId);
    return log == null ? -1 : log.historyBefore();
  }

  /** The lines for a page of older messages. */
  synchronized List<Output.Line> older(String roomId, List<ChatMessage> page) {
    RoomLog log = rooms.get(roomId);
    List<ChatMessage> older = log == null ? List.of() : log.older(page);
    List<Output.Line> lines = new ArrayList<>();
    if (older.isEmpty()) {
      lines.add(Output.Line.notice(render.notice("no older messages in " + roomId)));
    } else {
      lines.add(
          Output.Line.notice(
              render.heading(
                  older.size() + " older " + plural(older.size(), "message") + " in " + roomId)));
      for (ChatMessage m : older) {
        lines.add(Output.Line.message(render.message(m, false)));
      }
    }
    return lines;
  }

  /** The user ids online in a room, sorted; empty when not in it. */
  synchronized List<String> online(String roomId) {
    RoomLog log = rooms.get(roomId);
    return log == null ? List.of() : log.online();
  }

  static String plural(int n, String word) {
    return n == 1 ? word : word + "s";
  }

  private String latest() {
    String last = null;
    for (String id : rooms.keySet()) {
      last = id;
    }
    return last;
  }
}
