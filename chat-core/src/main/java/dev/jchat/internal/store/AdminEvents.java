package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * What operators changed with {@code chat admin} (another process), read by a running server so
 * that it can close the sockets of a disabled or revoked user. Thread-safe.
 */
public final class AdminEvents {
  /** One change: a user was disabled or their sessions revoked. */
  public record Event(long id, String userId, String action) {}

  private static final String LAST = "SELECT coalesce(max(id), 0) FROM admin_events";
  private static final String AFTER =
      "SELECT id, user_id, action FROM admin_events WHERE id > ? ORDER BY id LIMIT 1000";

  private final SqlDatabase db;

  AdminEvents(SqlDatabase db) {
    this.db = db;
  }

  /** The id of the newest event; what a starting server has already seen. */
  public long lastId() {
    return db.withConnection(
        "read admin events",
        c -> {
          try (PreparedStatement q = c.prepareStatement(LAST);
              ResultSet rows = q.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0L;
          }
        });
  }

  /** The events after {@code id}, oldest first (at most 1,000). */
  public List<Event> after(long id) {
    return db.withConnection(
        "read admin events",
        c -> {
          try (PreparedStatement q = c.prepareStatement(AFTER)) {
            q.setLong(1, id);
            List<Event> events = new ArrayList<>();
            try (ResultSet rows = q.executeQuery()) {
              while (rows.next()) {
                events.add(new Event(rows.getLong(1), rows.getString(2), rows.getString(3)));
              }
            }
            return events;
          }
        });
  }
}
