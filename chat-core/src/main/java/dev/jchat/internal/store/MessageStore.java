package dev.jchat.internal.store;

import java.util.List;
import java.util.Map;

/**
 * Reads of the message log: history pages, join catch-up, a room's last seq. Thread-safe; called on
 * worker threads, beside the writer: every committed batch is visible. Messages are written only
 * through {@link MessageBatches}, by the {@link MessageLog}.
 */
public interface MessageStore {
  /**
   * A page of history, ascending by seq. {@code before} and {@code after} are exclusive bounds,
   * each nullable. With {@code after}, the oldest {@code limit} messages above it (and below {@code
   * before}); otherwise the newest {@code limit} below {@code before} (or the newest of all).
   */
  List<StoredMessage> page(String roomId, Long before, Long after, int limit);

  /**
   * {@link #page} when memory answers it whole, else null: never queries or waits, so an event loop
   * may call it. Only {@link NewestMessages} holds anything; the stores answer null.
   */
  default List<StoredMessage> pageInMemory(String roomId, Long before, Long after, int limit) {
    return null;
  }

  /** The newest {@code cap} messages with seq above {@code since}, ascending; for join. */
  List<StoredMessage> newestAfter(String roomId, long since, int cap);

  /** The room's last committed seq; 0 when it has no messages or does not exist. */
  long lastSeq(String roomId);

  /**
   * Every room's last committed seq, by room id, in one query: for a node of several to find what
   * it missed and which rooms were created elsewhere.
   */
  Map<String, Long> lastSeqs();
}
