package dev.jchat.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chat database opened by an operator's command ({@code chat admin}, {@code chat backup}),
 * possibly while a server uses it: one connection, no migration, and a refusal of any file that is
 * not a chat database of the schema this code knows. Each change is recorded in {@code
 * admin_events} in the same transaction, for the server to act on. One thread at a time.
 */
public final class AdminDatabase implements AutoCloseable {
  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  /** A user as the operator sees it. */
  public record UserRow(
      String userId, String name, long createdAt, boolean disabled, int sessions) {}

  private static final String USERS =
      "SELECT u.user_id, u.name, u.created_at,"
          + " EXISTS (SELECT 1 FROM disabled_users d WHERE d.user_id = u.user_id),"
          + " (SELECT count(*) FROM sessions s WHERE s.user_id = u.user_id AND s.expires_at > ?)"
          + " FROM users u ORDER BY u.user_id";

  private final Path file;
  private final Connection connection;

  private AdminDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens {@code file}; {@link StoreException} with a one-line reason when it is missing, not an
   * SQLite file, not a chat database, or of another schema version.
   */
  public static AdminDatabase open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StoreException(file + ": no such file");
    }
    if (!hasSqliteHeader(file)) {
      throw new StoreException(file + " is not a chat database (not an SQLite file)");
    }
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (var s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 5000");
      }
    } catch (SQLException e) {
      throw StoreException.of("open " + file, e);
    }
    AdminDatabase db = new AdminDatabase(file, c);
    try {
      db.requireChatSchema();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  private static boolean hasSqliteHeader(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(SQLITE_HEADER.length), SQLITE_HEADER);
    } catch (IOException e) {
      throw new StoreException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private void requireChatSchema() {
    try {
      for (String table : List.of("users", "sessions", "rooms", "messages", "admin_events")) {
        try (PreparedStatement q =
            connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
          q.setString(1, table);
          try (ResultSet rows = q.executeQuery()) {
            if (!rows.next()) {
              throw new StoreException(
                  table.equals("admin_events") && hasTable("users")
                      ? file
                          + " is a chat database of an older version; start the server on it once"
                      : file + " is not a chat database (no table " + table + ")");
            }
          }
        }
      }
      int version = Schema.version(connection);
      if (version != Schema.latestVersion()) {
        throw new StoreException(
            file
                + " has schema version "
                + version
                + "; this program knows version "
                + Schema.latestVersion());
      }
    } catch (SQLException e) {
      throw new StoreException(file + " is not a chat database (" + e.getMessage() + ")", e);
    }
  }

  private boolean hasTable(String name) throws SQLException {
    try (PreparedStatement q =
        connection.prepareStatement(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      q.setString(1, name);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** The one connection, for {@link SqliteToPostgres}, which reads the whole file through it. */
  Connection connection() {
    return connection;
  }

  /** Every user, by id, with whether they are disabled and how many live sessions they hold. */
  public List<UserRow> users(long nowMillis) {
    try (PreparedStatement q = connection.prepareStatement(USERS)) {
      q.setLong(1, nowMillis);
      List<UserRow> users = new ArrayList<>();
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          users.add(
              new UserRow(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getLong(3),
                  rows.getBoolean(4),
                  rows.getInt(5)));
        }
      }
      return users;
    } catch (SQLException e) {
      throw StoreException.of("list users", e);
    }
  }

  /**
   * Disables a user: their sessions end and a running server closes their sockets and refuses their
   * logins. False when there is no such user.
   */
  public boolean disable(String userId, long nowMillis) {
    return change(
        "disable " + userId,
        userId,
        "disable",
        nowMillis,
        "INSERT INTO disabled_users (user_id, disabled_at) VALUES (?, unixepoch() * 1000)"
            + " ON CONFLICT DO NOTHING",
        "DELETE FROM sessions WHERE user_id = ?");
  }

  /** Lets a disabled user log in again. False when there is no such user. */
  public boolean enable(String userId, long nowMillis) {
    return change(
        "enable " + userId,
        userId,
        "enable",
        nowMillis,
        "DELETE FROM disabled_users WHERE user_id = ?");
  }

  /** Ends every session of a user; a running server closes their sockets. */
  public boolean revokeSessions(String userId, long nowMillis) {
    return change(
        "revoke sessions of " + userId,
        userId,
        "revoke",
        nowMillis,
        "DELETE FROM sessions WHERE user_id = ?");
  }

  private boolean change(
      String operation, String userId, String action, long now, String... statements) {
    try {
      return Transactions.inTransaction(
          connection,
          c -> {
            try (PreparedStatement exists =
                c.prepareStatement("SELECT 1 FROM users WHERE user_id = ?")) {
              exists.setString(1, userId);
              try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                  return false;
                }
              }
            }
            for (String sql : statements) {
              try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, userId);
                s.executeUpdate();
              }
            }
            try (PreparedStatement event =
                c.prepareStatement(
                    "INSERT INTO admin_events (user_id, action, at) VALUES (?, ?, ?)")) {
              event.setString(1, userId);
              event.setString(2, action);
              event.setLong(3, now);
              event.executeUpdate();
            }
            return true;
          });
    } catch (SQLException e) {
      throw StoreException.of(operation, e);
    }
  }

  /**
   * Writes a consistent copy of the database to {@code target} (SQLite's {@code VACUUM INTO}: one
   * read transaction, so commits made meanwhile by a running server are either all in or all out),
   * refusing a target that exists.
   */
  public void backupTo(Path target) {
    if (Files.exists(target)) {
      throw new StoreException(target + " exists; choose a new file");
    }
    try (PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, target.toAbsolutePath().toString());
      vacuum.execute();
    } catch (SQLException e) {
      throw StoreException.of("back up to " + target, e);
    }
  }

  /**
   * How many rows {@code table} (one of the chat tables) holds; for {@code messages}, with those
   * still in {@code recent_messages}.
   */
  public long count(String table) {
    if (!List.of("users", "rooms", "messages", "sessions").contains(table)) {
      throw new IllegalArgumentException(table);
    }
    String sql =
        table.equals("messages")
            ? "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM recent_messages)"
            : "SELECT count(*) FROM " + table;
    try (PreparedStatement q = connection.prepareStatement(sql);
        ResultSet rows = q.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    } catch (SQLException e) {
      throw StoreException.of("count " + table, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw StoreException.of("close " + file, e);
    }
  }
}
