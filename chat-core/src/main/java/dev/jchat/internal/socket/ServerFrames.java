package dev.jchat.internal.socket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.service.RoomInfo;
import dev.jchat.internal.store.StoredMessage;
import dev.jchat.internal.websocket.FrameEncoder;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes what the server sends on the chat socket, each straight into a complete WebSocket frame.
 * Field order follows PROTOCOL.md. Stateless.
 */
public final class ServerFrames {
  private ServerFrames() {}

  /** The message object shared by live delivery, {@code joined} and {@code history}. */
  public record MessageJson(String type, String room, long seq, String from, String text, long ts) {
    public static MessageJson of(StoredMessage m) {
      return new MessageJson("message", m.roomId(), m.seq(), m.from(), m.text(), m.ts());
    }
  }

  record Welcome(String type, String userId, String server) {}

  record Joined(
      String type,
      String room,
      long lastSeq,
      boolean complete,
      List<String> online,
      @JsonRawValue String history) {}

  record Presence(String type, String room, String userId, String event) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Ack(String type, String ref, String room, long seq, long ts) {}

  record Left(String type, String room) {}

  record History(String type, String room, List<MessageJson> messages) {}

  record Rooms(String type, List<RoomInfo> rooms) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Error(String type, String code, String message, Long retryAfterMs, String ref) {}

  public static byte[] message(StoredMessage m) {
    return frame(MessageJson.of(m));
  }

  static byte[] welcome(String userId, String server) {
    return frame(new Welcome("welcome", userId, server));
  }

  /** The history array, encoded outside the room's lock; {@link #joined} splices it in. */
  static String historyArray(List<StoredMessage> history) {
    return json(history.stream().map(MessageJson::of).toList());
  }

  static byte[] joined(
      String room, long lastSeq, boolean complete, List<String> online, String historyArray) {
    return frame(new Joined("joined", room, lastSeq, complete, online, historyArray));
  }

  static byte[] presence(String room, String userId, String event) {
    return frame(new Presence("presence", room, userId, event));
  }

  static byte[] ack(String ref, String room, long seq, long ts) {
    return frame(new Ack("ack", ref, room, seq, ts));
  }

  static byte[] left(String room) {
    return frame(new Left("left", room));
  }

  static byte[] history(String room, List<StoredMessage> messages) {
    return frame(new History("history", room, messages.stream().map(MessageJson::of).toList()));
  }

  static byte[] rooms(List<RoomInfo> rooms) {
    return frame(new Rooms("rooms", rooms));
  }

  static byte[] error(String code, String message, String ref) {
    return frame(new Error("error", code, message, null, ref));
  }

  /** An error that a wait helps with: {@code retryAfterMs} when positive. */
  static byte[] error(String code, String message, long retryAfterMs, String ref) {
    return frame(new Error("error", code, message, retryAfterMs > 0 ? retryAfterMs : null, ref));
  }

  private static byte[] frame(Object value) {
    try {
      return FrameEncoder.text(Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
