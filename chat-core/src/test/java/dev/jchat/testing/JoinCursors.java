package dev.jchat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Joins that race sends, and the check that every {@code joined.lastSeq} is an exact cursor
 * (protocol v1.1): history gap-free and ending at it, the first live message right after it.
 */
public final class JoinCursors {
  private JoinCursors() {}

  /** Joins and leaves while the senders run; returns how many joins it made. */
  public static int joinRepeatedly(
      JdkSocket joiner, String room, boolean withSince, AtomicBoolean sending) {
    int joins = 0;
    long since = 0;
    do {
      JsonNode joined = joiner.join(room, withSince ? Math.max(0, since - 7) : null);
      since = joined.path("lastSeq").asLong();
      joiner.send("type", "leave", "room", room);
      joiner.recorder().awaitType("left");
      joins++;
    } while (sending.get());
    return joins;
  }

  /** Replays one socket's frames of the room and checks every cursor against what followed it. */
  public static void assertExact(List<JsonNode> frames) {
    long expectedNext = -1; // -1: not in the room
    int joinedFrames = 0;
    for (JsonNode f : frames) {
      switch (f.path("type").asText()) {
        case "joined" -> {
          joinedFrames++;
          long lastSeq = f.path("lastSeq").asLong();
          JsonNode history = f.path("history");
          for (int i = 1; i < history.size(); i++) {
            assertEquals(
                history.get(i - 1).path("seq").asLong() + 1,
                history.get(i).path("seq").asLong(),
                () -> "history with a gap: " + f);
          }
          if (history.size() > 0) {
            assertEquals(
                lastSeq,
                history.get(history.size() - 1).path("seq").asLong(),
                () -> "history does not end at lastSeq: " + f);
          }
          expectedNext = lastSeq + 1;
        }
        case "message" -> {
          long seq = f.path("seq").asLong();
          long want = expectedNext;
          assertTrue(want > 0, () -> "a live message outside a join: " + f);
          assertEquals(
              want, seq, () -> "live message after the cursor: expected " + want + ": " + f);
          expectedNext++;
        }
        case "left" -> expectedNext = -1;
        default -> {}
      }
    }
    assertTrue(joinedFrames > 0);
  }
}
