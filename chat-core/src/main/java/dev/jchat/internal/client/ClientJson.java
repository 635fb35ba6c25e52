package dev.jchat.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jchat.ChatException;
import dev.jchat.ChatMessage;
import dev.jchat.ChatRoom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's JSON: building request bodies and frames, reading the server's objects into the
 * public records. Tolerant of fields it does not know. Stateless and thread-safe.
 */
public final class ClientJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ClientJson() {}

  /**
   * An object from alternating names and values (strings, numbers, booleans, lists of strings);
   * null values are left out.
   */
  public static ObjectNode object(Object... namesAndValues) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      Object value = namesAndValues[i + 1];
      if (value != null) {
        node.set(name, MAPPER.valueToTree(value));
      }
    }
    return node;
  }

  /** Compact JSON text of a node. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Parses JSON text; a missing or malformed one is a {@link ChatException} {@code internal}. */
  public static JsonNode parse(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new ChatException("internal", 0, what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ChatException("internal", 0, what + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A string field the server must send. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new ChatException("internal", 0, "the server's answer has no \"" + field + "\"");
    }
    return value.asText();
  }

  /** A time given as epoch milliseconds or ISO-8601 text; null when absent or unreadable. */
  public static Instant instant(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isNumber()) {
      return Instant.ofEpochMilli(value.asLong());
    }
    if (!value.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(value.asText()));
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
  }

  /** A message object; {@code room} may be left out inside a room's own history. */
  public static ChatMessage message(JsonNode node, String defaultRoom) {
    return new ChatMessage(
        node.path("room").asText(defaultRoom),
        node.path("seq").asLong(),
        node.path("from").asText(""),
        node.path("text").asText(""),
        node.path("ts").asLong());
  }

  /** An array of message objects; empty when absent. */
  public static List<ChatMessage> messages(JsonNode array, String defaultRoom) {
    List<ChatMessage> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      out.add(message(item, defaultRoom));
    }
    return out;
  }

  /** A room object, with {@code memberIds} when present. */
  public static ChatRoom room(JsonNode node) {
    String roomId = text(node, "roomId");
    return new ChatRoom(
        roomId,
        node.path("name").asText(roomId),
        node.path("private").asBoolean(false),
        node.path("members").asInt(),
        node.path("online").asInt(),
        node.path("lastSeq").asLong(),
        strings(node.path("memberIds")));
  }

  /** An array of room objects; empty when absent. */
  public static List<ChatRoom> rooms(JsonNode array) {
    List<ChatRoom> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      out.add(room(item));
    }
    return out;
  }

  /** An array of strings; empty when absent. */
  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      out.add(item.asText());
    }
    return out;
  }
}
