package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Login sessions, keyed by the SHA-256 of the token so a leaked database holds no usable token.
 * Thread-safe; called on worker threads.
 */
public final class SessionStore {
  private static final String INSERT =
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
  private static final String USER_FOR =
      "SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?";
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

  /** The user of a session that has not expired at {@code now}, else empty. */
  public Optional<String> userFor(byte[] tokenHash, long now) {
    return db.withConnection(
        "find session",
        c -> {
          try (PreparedStatement find = c.prepareStatement(USER_FOR)) {
            find.setBytes(1, tokenHash);
            find.setLong(2, now);
            try (ResultSet row = find.executeQuery()) {
              return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
          }
        });
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
