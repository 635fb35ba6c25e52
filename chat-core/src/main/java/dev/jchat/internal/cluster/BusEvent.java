package dev.jchat.internal.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.store.StoredMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One thing a node tells the others over the bus, as JSON on one channel. Every event names the
 * node that sent it, so a node skips its own. What each type carries:
 *
 * <ul>
 *   <li>{@code messages}: a committed batch, in seq order per room ({@code messages});
 *   <li>{@code online} / {@code offline}: {@code user}'s first subscription in {@code room} on the
 *       sending node began, or its last one ended;
 *   <li>{@code logout}: the session with key {@code key} logged out;
 *   <li>{@code added} / {@code removed}: {@code user} became or stopped being a member of {@code
 *       room} through {@code by}; {@code member}: the same as added, told to nobody (a public
 *       room's join);
 *   <li>{@code room}: {@code room} was created;
 *   <li>{@code gone}: the sending node is stopping; its users are offline;
 *   <li>{@code rewritten}: the sending node wrote its whole presence hash again (after losing
 *       Redis): read it again.
 * </ul>
 *
 * The bus is only a fast path: an event that is lost is made good from the store (messages, rooms,
 * members) or by the next presence snapshot, never by the bus itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BusEvent(
    String type,
    String node,
    String room,
    String user,
    String by,
    String key,
    List<BusEvent.Message> messages) {
  private static final ObjectWriter WRITER = Json.writer();
  private static final ObjectReader READER = Json.reader(BusEvent.class);

  /** A committed message as the bus carries it. */
  record Message(String room, long seq, String from, String text, long ts) {
    StoredMessage stored() {
      return new StoredMessage(room, seq, from, text, ts);
    }
  }

  static BusEvent messages(String node, List<StoredMessage> batch) {
    List<Message> carried =
        batch.stream()
            .map(m -> new Message(m.roomId(), m.seq(), m.from(), m.text(), m.ts()))
            .toList();
    return new BusEvent("messages", node, null, null, null, null, carried);
  }

  static BusEvent presence(String node, String room, String user, boolean online) {
    return new BusEvent(online ? "online" : "offline", node, room, user, null, null, null);
  }

  static BusEvent logout(String node, String sessionKey) {
    return new BusEvent("logout", node, null, null, null, sessionKey, null);
  }

  static BusEvent membership(String node, String type, String room, String user, String by) {
    return new BusEvent(type, node, room, user, by, null, null);
  }

  static BusEvent roomCreated(String node, String room) {
    return new BusEvent("room", node, room, null, null, null, null);
  }

  static BusEvent rewritten(String node) {
    return new BusEvent("rewritten", node, null, null, null, null, null);
  }

  static BusEvent nodeGone(String node) {
    return new BusEvent("gone", node, null, null, null, null, null);
  }

  byte[] encode() {
    try {
      return WRITER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The event, or null when the bytes are not one (another program on the channel). */
  static BusEvent decode(byte[] json) {
    try {
      BusEvent e = READER.readValue(json);
      return e.type() == null || e.node() == null ? null : e;
    } catch (IOException e) {
      return null;
    }
  }
}
