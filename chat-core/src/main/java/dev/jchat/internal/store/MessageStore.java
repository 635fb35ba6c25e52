package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads of the message log: history pages, join catch-up, a room's last seq. Thread-safe; called on
 * worker threads, beside the writer (WAL readers see every committed batch). Messages are written
 * only by {@link MessageLog}.
 */
public final class MessageStore {
  private static final String COLUMNS = "room_id, seq, sender, text, ts";
  private static final String NEWEST_BELOW =
      "SELECT "
          + COLUMNS
          + " FROM messages WHERE room_id = ? AND seq > ? AND seq < ?"
          + " ORDER BY seq DESC LIMIT ?";
  private static final String OLDEST_ABOVE =
      "SELECT "
          + COLUMNS
          + " FROM messages WHERE room_id = ? AND seq > ? AND seq < ?"
          + " ORDER BY seq ASC LIMIT ?";

  /**
   * A room's last seq, or no row for an unknown room. Also read by the message log's writer. The
   * max over the messages guards against a {@code last_seq} that lags them, so a seq is never
   * handed out twice.
   */
  static final String LAST_SEQ =
      "SELECT max(r.last_seq, coalesce((SELECT max(m.seq) FROM messages m"
          + " WHERE m.room_id = r.room_id), 0)) FROM rooms r WHERE r.room_id = ?";

  private final Database db;

  public MessageStore(Database db) {
    this.db = db;
  }

  /**
   * A page of history, ascending by seq. {@code before} and {@code after} are exclusive bounds,
   * each nullable. With {@code after}, the oldest {@code limit} messages above it (and below {@code
   * before}); otherwise the newest {@code limit} below {@code before} (or the newest of all).
   */
  public List<StoredMessage> page(String roomId, Long before, Long after, int limit) {
    long upper = before == null ? Long.MAX_VALUE : before;
    if (after != null) {
      return query("read history", OLDEST_ABOVE, roomId, after, upper, limit, false);
    }
    return query("read history", NEWEST_BELOW, roomId, 0, upper, limit, true);
  }

  /** The newest {@code cap} messages with seq above {@code since}, ascending; for join. */
  public List<StoredMessage> newestAfter(String roomId, long since, int cap) {
    return query("read catch-up", NEWEST_BELOW, roomId, since, Long.MAX_VALUE, cap, true);
  }

  /** The room's last committed seq; 0 when it has no messages or does not exist. */
  public long lastSeq(String roomId) {
    return db.withConnection(
        "read last seq",
        c -> {
          try (PreparedStatement lastSeq = c.prepareStatement(LAST_SEQ)) {
            lastSeq.setString(1, roomId);
            try (ResultSet row = lastSeq.executeQuery()) {
              return row.next() ? row.getLong(1) : 0L;
            }
          }
        });
  }

  private List<StoredMessage> query(
      String operation,
      String sql,
      String roomId,
      long above,
      long below,
      int limit,
      boolean descending) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    List<StoredMessage> messages =
        db.withConnection(
            operation,
            c -> {
              try (PreparedStatement query = c.prepareStatement(sql)) {
                query.setString(1, roomId);
                query.setLong(2, above);
                query.setLong(3, below);
                query.setInt(4, limit);
                return read(query);
              }
            });
    if (descending) {
      Collections.reverse(messages);
    }
    return messages;
  }

  private static List<StoredMessage> read(PreparedStatement query) throws SQLException {
    List<StoredMessage> messages = new ArrayList<>();
    try (ResultSet row = query.executeQuery()) {
      while (row.next()) {
        messages.add(
            new StoredMessage(
                row.getString(1),
                row.getLong(2),
                row.getString(3),
                row.getString(4),
                row.getLong(5)));
      }
    }
    return messages;
  }
}
