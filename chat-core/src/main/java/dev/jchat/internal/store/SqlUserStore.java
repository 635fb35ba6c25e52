package dev.jchat.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** {@link UserStore} in SQL both engines run. Thread-safe. */
final class SqlUserStore implements UserStore {
  private static final String INSERT =
      "INSERT INTO users (user_id, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (user_id) DO NOTHING";
  private static final String FIND =
      "SELECT user_id, name, email, password_hash, created_at FROM users WHERE user_id = ?";
  private static final String EXISTS = "SELECT 1 FROM users WHERE user_id = ?";
  private static final String DISABLED = "SELECT 1 FROM disabled_users WHERE user_id = ?";
  private static final String SET_HASH = "UPDATE users SET password_hash = ? WHERE user_id = ?";

  private final SqlDatabase db;

  SqlUserStore(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public boolean create(User user) {
    return db.withConnection(
        "create user",
        c -> {
          try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, user.userId());
            insert.setString(2, user.name());
            insert.setString(3, user.email());
            insert.setString(4, user.passwordHash());
            insert.setLong(5, user.createdAt());
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean isDisabled(String userId) {
    return db.withConnection(
        "check a disabled user",
        c -> {
          try (PreparedStatement q = c.prepareStatement(DISABLED)) {
            q.setString(1, userId);
            try (ResultSet rows = q.executeQuery()) {
              return rows.next();
            }
          }
        });
  }

  @Override
  public void updatePasswordHash(String userId, String passwordHash) {
    db.withConnection(
        "update password hash",
        c -> {
          try (PreparedStatement update = c.prepareStatement(SET_HASH)) {
            update.setString(1, passwordHash);
            update.setString(2, userId);
            return update.executeUpdate();
          }
        });
  }

  @Override
  public Optional<User> find(String userId) {
    return db.withConnection(
        "find user",
        c -> {
          try (PreparedStatement find = c.prepareStatement(FIND)) {
            find.setString(1, userId);
            try (ResultSet row = find.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new User(
                      row.getString(1),
                      row.getString(2),
                      row.getString(3),
                      row.getString(4),
                      row.getLong(5)));
            }
          }
        });
  }

  @Override
  public boolean exists(String userId) {
    return db.withConnection(
        "check user",
        c -> {
          try (PreparedStatement exists = c.prepareStatement(EXISTS)) {
            exists.setString(1, userId);
            try (ResultSet row = exists.executeQuery()) {
              return row.next();
            }
          }
        });
  }
}
