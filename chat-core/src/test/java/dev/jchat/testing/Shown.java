package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything clients were acked or shown, per room and seq, and the check that a server's history
 * holds all of it: same seq, same sender, same text; seqs without gaps; no text twice. Thread-safe.
 */
public final class Shown {
  /** Per room, seq to "from TAB text". */
  private final Map<String, Map<Long, String>> byRoom = new ConcurrentHashMap<>();

  public final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  public void record(String room, long seq, String from, String text) {
    String value = from + "\t" + text;
    String before =
        byRoom.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).putIfAbsent(seq, value);
    if (before != null && !before.equals(value)) {
      problems.add(
          room + " seq " + seq + " was shown as both '" + before + "' and '" + value + "'");
    }
  }

  public int size() {
    return byRoom.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * Asserts that the stored history of each room holds everything shown, has no gap in seq and no
   * text twice; returns the stored texts of all rooms.
   */
  public Set<String> assertStored(Rest rest, String token, List<String> rooms, String context) {
    Set<String> all = new HashSet<>();
    for (String room : rooms) {
      List<JsonNode> history = rest.history(token, room);
      Map<Long, String> stored = new HashMap<>();
      for (int i = 0; i < history.size(); i++) {
        JsonNode m = history.get(i);
        long seq = m.get("seq").asLong();
        assertEquals(i + 1, seq, "seq must have no gaps in " + room + " (" + context + ")");
        String text = m.get("text").asText();
        assertTrue(all.add(text), "stored twice in " + room + ": " + text + " (" + context + ")");
        stored.put(seq, m.get("from").asText() + "\t" + text);
      }
      for (Map.Entry<Long, String> e : byRoom.getOrDefault(room, Map.of()).entrySet()) {
        assertEquals(
            e.getValue(),
            stored.get(e.getKey()),
            "acked or delivered as "
                + room
                + " seq "
                + e.getKey()
                + ", so it must be stored ("
                + context
                + ")");
      }
    }
    assertTrue(problems.isEmpty(), problems + " (" + context + ")");
    assertTrue(size() > 0, "the clients saw nothing: the test tested nothing");
    return all;
  }
}
