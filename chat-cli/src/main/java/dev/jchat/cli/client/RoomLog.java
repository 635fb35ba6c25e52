package dev.jchat.cli.client;

import dev.jchat.ChatMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the client has shown of one joined room, so that each message is shown once: the highest
 * {@code seq} shown (which is also the {@code since} of a rejoin), where {@code /history}
 * continues, and who is online. Guarded by its {@link JoinedRooms}' lock.
 */
final class RoomLog {
  private final String roomId;
  private boolean joined;
  private long lastShown;
  private long historyBefore;
  private final SortedSet<String> online = new TreeSet<>();

  RoomLog(String roomId) {
    this.roomId = roomId;
  }

  String roomId() {
    return roomId;
  }

  /** True once a {@code joined} arrived: a rejoin then asks only for what came after. */
  boolean wasJoined() {
    return joined;
  }

  /** The {@code since} of a rejoin: the highest {@code seq} shown, 0 when none was. */
  long since() {
    return lastShown;
  }

  /**
   * Takes a {@code joined}'s history and returns the messages to show: those not shown yet,
   * ascending by {@code seq}. When the server's cap cut the history short ({@code complete} false),
   * {@code /history} continues from the start of this batch, across the gap.
   */
  List<ChatMessage> joined(
      Collection<ChatMessage> history, boolean complete, Collection<String> onlineNow) {
    joined = true;
    online.clear();
    online.addAll(onlineNow);
    List<ChatMessage> fresh = acceptAll(history);
    if (!complete && !fresh.isEmpty()) {
      historyBefore = fresh.get(0).seq();
    }
    return fresh;
  }

  /** True when a live message is new and should be shown; false for one shown already. */
  boolean accept(ChatMessage m) {
    if (m.seq() <= lastShown) {
      return false;
    }
    lastShown = m.seq();
    if (historyBefore == 0) {
      historyBefore = m.seq();
    }
    return true;
  }

  /** The {@code before} bound of the next {@code /history}: 0 when nothing was shown yet. */
  long historyBefore() {
    return historyBefore;
  }

  /** Takes a page of older messages and returns those to show, ascending by {@code seq}. */
  List<ChatMessage> older(Collection<ChatMessage> page) {
    List<ChatMessage> sorted = sorted(page);
    List<ChatMessage> shown = new ArrayList<>();
    for (ChatMessage m : sorted) {
      if (historyBefore == 0 || m.seq() < historyBefore) {
        shown.add(m);
      }
    }
    if (!shown.isEmpty()) {
      historyBefore = shown.get(0).seq();
      lastShown = Math.max(lastShown, shown.get(shown.size() - 1).seq());
    }
    return shown;
  }

  void presence(String userId, String event) {
    if (event.equals("join")) {
      online.add(userId);
    } else if (event.equals("leave")) {
      online.remove(userId);
    }
  }

  /** The user ids online in the room, sorted. */
  List<String> online() {
    return List.copyOf(online);
  }

  private List<ChatMessage> acceptAll(Collection<ChatMessage> messages) {
    List<ChatMessage> fresh = new ArrayList<>();
    for (ChatMessage m : sorted(messages)) {
      if (accept(m)) {
        fresh.add(m);
      }
    }
    return fresh;
  }

  private static List<ChatMessage> sorted(Collection<ChatMessage> messages) {
    List<ChatMessage> sorted = new ArrayList<>(messages);
    sorted.sort(Comparator.comparingLong(ChatMessage::seq));
    return sorted;
  }
}
