package dev.jchat.internal.socket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jchat.internal.json.Json;
import dev.jchat.internal.json.MessageJson;
import dev.jchat.internal.service.ApiError;
import dev.jchat.internal.service.RoomDirectory;
import dev.jchat.internal.service.RoomInfo;
import dev.jchat.internal.store.StoredMessage;
import dev.jchat.internal.websocket.FrameEncoder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes what the server sends on the chat socket, each straight into a complete WebSocket frame.
 * Field order follows docs/protocol.md. Stateless.
 */
public final class ServerFrames {
  private ServerFrames() {}

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
  record Left(String type, String room, String reason) {}

  record Membership(String type, String room, String event, String by) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Rooms(String type, List<RoomInfo> rooms, String next) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Error(String type, String code, String message, Long retryAfterMs, String ref) {}

  public static byte[] message(StoredMessage m) {
    return streamedFrame(out -> MessageJson.write(out, m));
  }

  static byte[] welcome(String userId, String server) {
    return frame(new Welcome("welcome", userId, server));
  }

  /** The history array, encoded outside the room's lock; {@link #joined} splices it in. */
  static String historyArray(List<StoredMessage> history) {
    return new String(
        Json.bytes(out -> MessageJson.writeArray(out, history)), StandardCharsets.UTF_8);
  }

  /**
   * The {@code joined} frame. {@code lateFrames} are live {@code message} frames of messages
   * committed after the history was read: their payloads (the same message objects) are appended to
   * the history array, so that history ends at {@code lastSeq}.
   */
  static byte[] joined(
      String room,
      long lastSeq,
      boolean complete,
      List<String> online,
      String historyArray,
      List<byte[]> lateFrames) {
    String history = lateFrames.isEmpty() ? historyArray : append(historyArray, lateFrames);
    return frame(new Joined("joined", room, lastSeq, complete, online, history));
  }

  private static String append(String array, List<byte[]> frames) {
    StringBuilder out = new StringBuilder(array.length() + frames.size() * 128);
    out.append(array, 0, array.length() - 1); // without the closing ']'
    boolean first = array.length() == 2; // "[]"
    for (byte[] frame : frames) {
      if (!first) {
        out.append(',');
      }
      first = false;
      int at = FrameEncoder.payloadOffset(frame);
      out.append(new String(frame, at, frame.length - at, StandardCharsets.UTF_8));
    }
    return out.append(']').toString();
  }

  public static byte[] presence(String room, String userId, String event) {
    return frame(new Presence("presence", room, userId, event));
  }

  static byte[] ack(String ref, String room, long seq, long ts) {
    return streamedFrame(
        out -> {
          out.writeStartObject();
          out.writeStringField("type", "ack");
          if (ref != null) {
            out.writeStringField("ref", ref);
          }
          out.writeStringField("room", room);
          out.writeNumberField("seq", seq);
          out.writeNumberField("ts", ts);
          out.writeEndObject();
        });
  }

  static byte[] left(String room) {
    return left(room, null);
  }

  /** {@code left}; {@code reason} is null for a leave the socket asked for. */
  static byte[] left(String room, String reason) {
    return frame(new Left("left", room, reason));
  }

  static byte[] membership(String room, String event, String by) {
    return frame(new Membership("membership", room, event, by));
  }

  static byte[] history(String room, List<StoredMessage> messages) {
    return streamedFrame(
        out -> {
          out.writeStartObject();
          out.writeStringField("type", "history");
          out.writeStringField("room", room);
          out.writeFieldName("messages");
          MessageJson.writeArray(out, messages);
          out.writeEndObject();
        });
  }

  static byte[] rooms(RoomDirectory.RoomPage page) {
    return frame(new Rooms("rooms", page.rooms(), page.next()));
  }

  static byte[] error(String code, String message, String ref) {
    return frame(new Error("error", code, message, null, ref));
  }

  /** An error that a wait helps with: {@code retryAfterMs} when positive. */
  static byte[] error(String code, String message, long retryAfterMs, String ref) {
    return frame(new Error("error", code, message, retryAfterMs > 0 ? retryAfterMs : null, ref));
  }

  /** The {@code error} for {@code e}, with {@code retryAfterMs} when waiting helps. */
  static byte[] error(ApiError e, String ref) {
    return error(e.code(), e.getMessage(), e.retryAfterMillis(), ref);
  }

  /** A frame written with the streaming generator: the per-message frames (see MessageJson). */
  private static byte[] streamedFrame(Json.Writing writing) {
    return FrameEncoder.text(Json.bytes(writing));
  }

  private static byte[] frame(Object value) {
    try {
      return FrameEncoder.text(Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
