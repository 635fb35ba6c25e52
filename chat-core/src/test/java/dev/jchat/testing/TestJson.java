package dev.jchat.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes the JSON of frames and REST bodies for the tests. */
public final class TestJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private TestJson() {}

  /** Parses {@code text}, or throws an {@link AssertionError} that quotes it. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + abbreviate(text), e);
    }
  }

  /** A JSON object from alternating keys and values; {@code null} values are left out. */
  public static String object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of arguments");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return write(map);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code seq} fields of an array of messages, in order. */
  public static List<Long> seqs(JsonNode messages) {
    List<Long> seqs = new ArrayList<>();
    for (JsonNode message : messages) {
      seqs.add(message.path("seq").asLong(-1));
    }
    return seqs;
  }

  /** The text values of an array, in order. */
  public static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    for (JsonNode node : array) {
      texts.add(node.asText());
    }
    return texts;
  }

  /** The text of {@code field} in each object of an array, in order. */
  public static List<String> field(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode node : array) {
      values.add(node.path(field).asText(null));
    }
    return values;
  }

  /** {@code from..to}, both inclusive; empty when {@code from > to}. */
  public static List<Long> range(long from, long to) {
    List<Long> range = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      range.add(i);
    }
    return range;
  }

  public static String abbreviate(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 300) + "...(" + text.length() + " chars)";
  }
}
