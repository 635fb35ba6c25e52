package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link SessionStore} in SQL both engines run. Thread-safe. */
final class SqlSessionStore implements SessionStore {
  private static final String INSERT =
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
  private static final String FIND =
      "SELECT user_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?";
  private static final String BEYOND =
      "SELECT token_hash FROM sessions WHERE user_id = ? ORDER BY created_at DESC, token_hash";
  private static final String DELETE = "DELETE FROM sessions WHERE token_hash = ?";
  private static final String PURGE = "DELETE FROM sessions WHERE expires_at <= ?";

  private final SqlDatabase db;

  SqlSessionStore(SqlDatabase db) {
    this.db = db;
  }

  @Override
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

  @Override
  public Optional<Found> find(byte[] tokenHash, long now) {
    // every hello and every REST call with a token: kept prepared
    return db.withStatement(
        "find session",
        FIND,
        find -> {
          find.setBytes(1, tokenHash);
          find.setLong(2, now);
          try (ResultSet row = find.executeQuery()) {
            return row.next()
                ? Optional.of(new Found(db.text(row, 1), row.getLong(2)))
                : Optional.empty();
          }
        });
  }

  @Override
  public List<byte[]> keepNewest(String userId, int keep) {
    List<byte[]> ended = new ArrayList<>();
    db.withConnection(
        "trim sessions",
        c -> {
          try (PreparedStatement beyond = c.prepareStatement(BEYOND)) {
            beyond.setString(1, userId);
            // skipped here rather than with OFFSET: the engines spell "no LIMIT" differently
            try (ResultSet rows = beyond.executeQuery()) {
              for (int row = 0; rows.next(); row++) {
                if (row >= keep) {
                  ended.add(rows.getBytes(1));
                }
              }
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

  @Override
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

  @Override
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
