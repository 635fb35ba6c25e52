package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Login sessions, keyed by the SHA-256 of the token so a leaked database holds no usable token.
 * Thread-safe; called on worker threads.
 */
public final class SessionStore {
  private static final String INSERT =
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
  private static final String FIND =
      "SELECT user_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?";
  private static final String BEYOND =
      "SELECT token_hash FROM sessions WHERE user_id = ?"
          + " ORDER BY created_at DESC, token_hash LIMIT -1 OFFSET ?";
  private static final String DELETE = "DELETE FROM sessions WHERE token_hash = ?";
  private static final String PURGE = "DELETE FROM sessions WHERE expires_at <= ?";

  private final Database db;

  public SessionStore(Database db) {
    this.db = db;
  }

  /**
   * Records a new session of an existing user.
   *
   * @throws StoreException when the user does not exist
   */
  public void create(byte[] tokenHash, String userId, long createdAt, long expiresAt) {
    db.withConnection(
        "create session",
        c -> {
          try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setBytes(1, tokenHash);
            insert.setString(2, userId);
            insert.setLong(3, createdAt);
            insert.setLong(4, expiresAt);
            return insert.executeUpdate();
          }
        });
  }

  /** A live session: whose it is and when it expires (epoch milliseconds). */
  public record Found(String userId, long expiresAt) {}

  /** The session if it has not expired at {@code now}, else empty. */
  public Optional<Found> find(byte[] tokenHash, long now) {
    return db.withConnection(
        "find session",
        c -> {
          try (PreparedStatement find = c.prepareStatement(FIND)) {
            find.setBytes(1, tokenHash);
            find.setLong(2, now);
            try (ResultSet row = find.executeQuery()) {
              return row.next()
                  ? Optional.of(new Found(row.getString(1), row.getLong(2)))
                  : Optional.empty();
            }
          }
        });
  }

  /** The user of a session that has not expired at {@code now}, else empty. */
  public Optional<String> userFor(byte[] tokenHash, long now) {
    return find(tokenHash, now).map(Found::userId);
  }

  /**
   * Ends the user's sessions beyond the {@code keep} newest; returns the token hashes it ended, so
   * that their sockets can be closed.
   */
  public List<byte[]> keepNewest(String userId, int keep) {
    List<byte[]> ended = new ArrayList<>();
    db.withConnection(
        "trim sessions",
        c -> {
          try (PreparedStatement beyond = c.prepareStatement(BEYOND)) {
            beyond.setString(1, userId);
            beyond.setInt(2, keep);
            try (ResultSet rows = beyond.executeQuery()) {
              while (rows.next()) ended.add(rows.getBytes(1));
            }
          }
          try (PreparedStatement delete = c.prepareStatement(DELETE)) {
            for (byte[] hash : ended) {
              delete.setBytes(1, hash);
              delete.executeUpdate();
            }
          }
          return ended.size();
        });
    return ended;
  }

  /** Ends one session; {@code false} when there was none. */
  public boolean delete(byte[] tokenHash) {
    return db.withConnection(
        "delete session",
        c -> {
          try (PreparedStatement delete = c.prepareStatement(DELETE)) {
            delete.setBytes(1, tokenHash);
            return delete.executeUpdate() == 1;
          }
        });
  }

  /** Deletes the sessions that expired at or before {@code now}; returns how many. */
  public int purgeExpired(long now) {
    return db.withConnection(
        "purge sessions",
        c -> {
          try (PreparedStatement purge = c.prepareStatement(PURGE)) {
            purge.setLong(1, now);
            return purge.executeUpdate();
          }
        });
  }
}
