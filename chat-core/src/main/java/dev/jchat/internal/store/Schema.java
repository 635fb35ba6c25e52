package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The database schema as a list of migrations, versioned with {@code PRAGMA user_version}. Applied
 * by {@link Database#open} on the opening thread, before any other connection exists.
 */
final class Schema {

  /**
   * Migration {@code i} (0-based) takes the schema from version {@code i} to {@code i + 1}. Append
   * new migrations; never edit one that has shipped.
   */
  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              """
              CREATE TABLE users (
                user_id       TEXT    NOT NULL PRIMARY KEY,
                name          TEXT,
                email         TEXT,
                password_hash TEXT    NOT NULL,
                created_at    INTEGER NOT NULL
              ) WITHOUT ROWID""",
              """
              CREATE TABLE sessions (
                token_hash BLOB    NOT NULL PRIMARY KEY,
                user_id    TEXT    NOT NULL REFERENCES users (user_id),
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
              ) WITHOUT ROWID""",
              "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",
              "CREATE INDEX sessions_by_user ON sessions (user_id)",
              // created_by is not a foreign key: configured rooms are created by "system".
              """
              CREATE TABLE rooms (
                room_id    TEXT    NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                private    INTEGER NOT NULL CHECK (private IN (0, 1)),
                created_by TEXT    NOT NULL,
                created_at INTEGER NOT NULL,
                last_seq   INTEGER NOT NULL DEFAULT 0
              ) WITHOUT ROWID""",
              """
              CREATE TABLE room_members (
                room_id TEXT NOT NULL REFERENCES rooms (room_id),
                user_id TEXT NOT NULL REFERENCES users (user_id),
                PRIMARY KEY (room_id, user_id)
              ) WITHOUT ROWID""",
              "CREATE INDEX room_members_by_user ON room_members (user_id, room_id)",
              // sender is not a foreign key: the host program may post as an unregistered bot.
              // Clustered by (room_id, seq), so a history page is one contiguous range.
              """
              CREATE TABLE messages (
                room_id TEXT    NOT NULL REFERENCES rooms (room_id),
                seq     INTEGER NOT NULL,
                sender  TEXT    NOT NULL,
                text    TEXT    NOT NULL,
                ts      INTEGER NOT NULL,
                ref     TEXT,
                PRIMARY KEY (room_id, seq)
              ) WITHOUT ROWID""",
              // Makes a send idempotent per user across reconnects and restarts.
              "CREATE UNIQUE INDEX messages_by_ref ON messages (sender, ref) WHERE ref IS NOT NULL"),
          // Written and emptied in one transaction by the health probe (StorageHealth).
          List.of("CREATE TABLE health_probe (id INTEGER PRIMARY KEY, pad BLOB NOT NULL)"),
          // 3: operators' changes (chat admin), which a running server polls to close sockets.
          List.of(
              """
              CREATE TABLE disabled_users (
                user_id     TEXT    NOT NULL PRIMARY KEY REFERENCES users (user_id),
                disabled_at INTEGER NOT NULL
              ) WITHOUT ROWID""",
              """
              CREATE TABLE admin_events (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id TEXT    NOT NULL,
                action  TEXT    NOT NULL,
                at      INTEGER NOT NULL
              )"""),
          // 4: the newest messages, appended in commit order and moved into messages in bulk
          // (SqliteBatches). messages is clustered by room, so a batch spread over many rooms
          // dirtied one page per room in every commit; appended here, it dirties a few pages,
          // and a fold writes each room's page once for many messages. Every seq here is above
          // every seq of the same room in messages.
          List.of(
              """
              CREATE TABLE recent_messages (
                room_id TEXT    NOT NULL REFERENCES rooms (room_id),
                seq     INTEGER NOT NULL,
                sender  TEXT    NOT NULL,
                text    TEXT    NOT NULL,
                ts      INTEGER NOT NULL,
                ref     TEXT
              )""",
              "CREATE UNIQUE INDEX recent_messages_by_room ON recent_messages (room_id, seq)",
              """
              CREATE UNIQUE INDEX recent_messages_by_ref ON recent_messages (sender, ref)
              WHERE ref IS NOT NULL"""));

  private Schema() {}

  /** The version a fully migrated database has. */
  static int latestVersion() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the database up to {@link #latestVersion()} in one transaction, so a failed upgrade
   * leaves the previous version intact.
   *
   * @throws StoreException when the file was written by a newer version of the server
   */
  static void migrate(Connection connection) throws SQLException {
    Transactions.inTransaction(
        connection,
        c -> {
          // Read inside the write transaction: another process may have migrated meanwhile.
          int current = version(c);
          if (current > latestVersion()) {
            throw new StoreException(
                "schema version "
                    + current
                    + " is newer than this server supports ("
                    + latestVersion()
                    + ")");
          }
          for (List<String> migration : MIGRATIONS.subList(current, latestVersion())) {
            for (String sql : migration) {
              execute(c, sql);
            }
          }
          // PRAGMA takes no bound parameters; the value is our own constant.
          execute(c, "PRAGMA user_version = " + latestVersion());
          return null;
        });
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }

  static int version(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("PRAGMA user_version");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }
}
