package dev.jchat.internal.client;

import dev.jchat.ChatMessage;
import dev.jchat.ChatSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For a {@link ResumingSocket}: each joined room's cursor, the last {@code seq} its listener was
 * given, and the resume of each room on a new connection. While a room resumes, what arrives for it
 * is held: the rejoin's history, older pages that fill a gap the server's history cap left, live
 * messages; once the gap is filled, what is newer than the cursor goes out, in order, each once.
 * Thread-safe (guarded by {@code this}); it never calls out.
 */
final class RoomCursors {
  private final Map<String, Cursor> rooms = new LinkedHashMap<>();

  private static final class Cursor {
    long lastSeq;
    boolean resuming;
    List<ChatMessage> held = new ArrayList<>();

    Cursor(long lastSeq) {
      this.lastSeq = lastSeq;
    }
  }

  /**
   * What to do after a step of a resume.
   *
   * @param deliver messages to hand to the listener now, in order
   * @param pageBefore when positive, the resume waits for the page of messages before this seq
   */
  record Resume(List<ChatMessage> deliver, long pageBefore) {
    static final Resume NOTHING = new Resume(List.of(), 0);
  }

  /** A join the application made was answered: the room is followed from {@code lastSeq} on. */
  synchronized void joined(String roomId, long lastSeq) {
    Cursor c = rooms.get(roomId);
    if (c == null) {
      rooms.put(roomId, new Cursor(lastSeq));
    } else if (!c.resuming) {
      c.lastSeq = Math.max(c.lastSeq, lastSeq);
    }
  }

  /** The room is no longer followed (left, or this user was removed from it). */
  synchronized void forget(String roomId) {
    rooms.remove(roomId);
  }

  /** A new connection: every room resumes; returns each room and its {@code since}. */
  synchronized Map<String, Long> resumeAll() {
    Map<String, Long> since = new LinkedHashMap<>();
    for (Map.Entry<String, Cursor> room : rooms.entrySet()) {
      Cursor c = room.getValue();
      c.resuming = true;
      c.held = new ArrayList<>();
      since.put(room.getKey(), c.lastSeq);
    }
    return since;
  }

  /** Whether the room is resuming, so that its {@code joined} answers the rejoin. */
  synchronized boolean isResuming(String roomId) {
    Cursor c = rooms.get(roomId);
    return c != null && c.resuming;
  }

  /** A live message: returns it when it is to be delivered now (new, not held), else nothing. */
  synchronized List<ChatMessage> live(ChatMessage m) {
    Cursor c = rooms.get(m.roomId());
    if (c == null) {
      return List.of(m); // a room not followed (yet): nothing to compare with
    }
    if (c.resuming) {
      c.held.add(m);
      return List.of();
    }
    if (m.seq() <= c.lastSeq) {
      return List.of();
    }
    c.lastSeq = m.seq();
    return List.of(m);
  }

  /** The answer to a rejoin: the history after the cursor, maybe with a gap before it. */
  synchronized Resume rejoined(ChatSocket.Joined joined) {
    Cursor c = rooms.get(joined.roomId());
    if (c == null || !c.resuming) {
      return Resume.NOTHING;
    }
    c.held.addAll(0, joined.history());
    if (joined.complete() || c.held.isEmpty() || c.held.get(0).seq() <= c.lastSeq + 1) {
      return finish(c);
    }
    return new Resume(List.of(), c.held.get(0).seq());
  }

  /** A page of older messages (ascending) that fills the gap. */
  synchronized Resume page(String roomId, List<ChatMessage> page) {
    Cursor c = rooms.get(roomId);
    if (c == null || !c.resuming) {
      return Resume.NOTHING;
    }
    c.held.addAll(0, page);
    if (page.isEmpty() || page.get(0).seq() <= c.lastSeq + 1) {
      return finish(c);
    }
    return new Resume(List.of(), page.get(0).seq());
  }

  private static Resume finish(Cursor c) {
    List<ChatMessage> deliver = new ArrayList<>();
    for (ChatMessage m : c.held) {
      if (m.seq() > c.lastSeq) {
        deliver.add(m);
        c.lastSeq = m.seq();
      }
    }
    c.resuming = false;
    c.held = new ArrayList<>();
    return new Resume(deliver, 0);
  }
}
