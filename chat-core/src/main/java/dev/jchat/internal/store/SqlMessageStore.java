package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link MessageStore} in SQL both engines run. Thread-safe. */
final class SqlMessageStore implements MessageStore {
  /** Not room_id: the caller names the room, and every text column read costs. */
  private static final String COLUMNS = "seq, sender, text, ts";

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
   * A room's last seq and the highest stored seq, or no row for an unknown room. The larger of the
   * two counts, which guards against a {@code last_seq} that lags the messages, so a seq is never
   * handed out twice. Two columns rather than {@code max(a, b)}, which only SQLite spells so.
   */
  static final String LAST_SEQ =
      "SELECT r.last_seq, (SELECT max(m.seq) FROM messages m WHERE m.room_id = r.room_id)"
          + " FROM rooms r WHERE r.room_id = ?";

  /** The seq counters both stores keep in step with the messages in every batch. */
  private static final String LAST_SEQS = "SELECT room_id, last_seq FROM rooms";

  private final SqlDatabase db;

  SqlMessageStore(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public List<StoredMessage> page(String roomId, Long before, Long after, int limit) {
    long upper = before == null ? Long.MAX_VALUE : before;
    if (after != null) {
      return query("read history", OLDEST_ABOVE, roomId, after, upper, limit, false);
    }
    return query("read history", NEWEST_BELOW, roomId, 0, upper, limit, true);
  }

  @Override
  public List<StoredMessage> newestAfter(String roomId, long since, int cap) {
    return query("read catch-up", NEWEST_BELOW, roomId, since, Long.MAX_VALUE, cap, true);
  }

  @Override
  public long lastSeq(String roomId) {
    return db.withConnection(
        "read last seq",
        c -> {
          try (PreparedStatement lastSeq = c.prepareStatement(LAST_SEQ)) {
            lastSeq.setString(1, roomId);
            try (ResultSet row = lastSeq.executeQuery()) {
              return row.next() ? Math.max(row.getLong(1), row.getLong(2)) : 0L;
            }
          }
        });
  }

  @Override
  public Map<String, Long> lastSeqs() {
    return db.withConnection(
        "read last seqs",
        c -> {
          Map<String, Long> seqs = new HashMap<>();
          try (PreparedStatement query = c.prepareStatement(LAST_SEQS);
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              seqs.put(row.getString(1), row.getLong(2));
            }
          }
          return seqs;
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
        db.withStatement(
            operation,
            sql,
            query -> {
              query.setString(1, roomId);
              query.setLong(2, above);
              query.setLong(3, below);
              query.setInt(4, limit);
              return read(query, roomId, limit);
            });
    if (descending) {
      Collections.reverse(messages);
    }
    return messages;
  }

  private List<StoredMessage> read(PreparedStatement query, String roomId, int limit)
      throws SQLException {
    List<StoredMessage> messages = new ArrayList<>(Math.min(limit, 256));
    try (ResultSet row = query.executeQuery()) {
      while (row.next()) {
        messages.add(
            new StoredMessage(
                roomId, row.getLong(1), db.text(row, 2), db.text(row, 3), row.getLong(4)));
      }
    }
    return messages;
  }
}
