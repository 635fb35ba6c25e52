package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MessageStore} in SQL both engines run, reading through {@link MessageQueries}.
 * Thread-safe.
 */
final class SqlMessageStore implements MessageStore {
  /** The seq counters both stores keep in step with the messages in every batch. */
  private static final String LAST_SEQS = "SELECT room_id, last_seq FROM rooms";

  private final SqlDatabase db;
  private final MessageQueries sql;

  SqlMessageStore(SqlDatabase db, MessageQueries sql) {
    this.db = db;
    this.sql = sql;
  }

  @Override
  public List<StoredMessage> page(String roomId, Long before, Long after, int limit) {
    long upper = before == null ? Long.MAX_VALUE : before;
    if (after != null) {
      return query("read history", sql.oldestAbove(), roomId, after, upper, limit, false);
    }
    return query("read history", sql.newestBelow(), roomId, 0, upper, limit, true);
  }

  @Override
  public List<StoredMessage> newestAfter(String roomId, long since, int cap) {
    return query("read catch-up", sql.newestBelow(), roomId, since, Long.MAX_VALUE, cap, true);
  }

  @Override
  public long lastSeq(String roomId) {
    return db.withConnection(
        "read last seq",
        c -> {
          try (PreparedStatement lastSeq = c.prepareStatement(sql.lastSeq())) {
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
      String query,
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
            query,
            statement -> {
              statement.setString(1, roomId);
              statement.setLong(2, above);
              statement.setLong(3, below);
              statement.setInt(4, limit);
              return read(statement, roomId, limit);
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
