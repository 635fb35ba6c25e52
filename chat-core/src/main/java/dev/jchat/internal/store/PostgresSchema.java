package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The PostgreSQL schema as a list of migrations, versioned in the one-row table {@code
 * jchat_schema} (PostgreSQL has no {@code user_version}). The same scheme as SQLite's {@link
 * Schema}: migration {@code i} takes version {@code i} to {@code i + 1}; append, never edit one
 * that shipped. Applied at start in one transaction under an advisory lock, so nodes starting
 * together migrate once.
 */
final class PostgresSchema {
  /** Any constant: the advisory lock key that serialises migrations. */
  private static final long MIGRATION_LOCK = 0x6a63686174L; // "jchat"

  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              """
              CREATE TABLE users (
                user_id       TEXT   NOT NULL PRIMARY KEY,
                name          TEXT,
                email         TEXT,
                password_hash TEXT   NOT NULL,
                created_at    BIGINT NOT NULL
              )""",
              """
              CREATE TABLE sessions (
                token_hash BYTEA  NOT NULL PRIMARY KEY,
                user_id    TEXT   NOT NULL REFERENCES users (user_id),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
              )""",
              "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",
              "CREATE INDEX sessions_by_user ON sessions (user_id)",
              // created_by is not a foreign key: configured rooms are created by "system".
              // last_seq is the room's seq counter: batches take seqs from it in their transaction.
              """
              CREATE TABLE rooms (
                room_id    TEXT    NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                private    BOOLEAN NOT NULL,
                created_by TEXT    NOT NULL,
                created_at BIGINT  NOT NULL,
                last_seq   BIGINT  NOT NULL DEFAULT 0
              )""",
              """
              CREATE TABLE room_members (
                room_id TEXT NOT NULL REFERENCES rooms (room_id),
                user_id TEXT NOT NULL REFERENCES users (user_id),
                PRIMARY KEY (room_id, user_id)
              )""",
              "CREATE INDEX room_members_by_user ON room_members (user_id, room_id)",
              // sender is not a foreign key: the host program may post as an unregistered bot.
              """
              CREATE TABLE messages (
                room_id TEXT   NOT NULL REFERENCES rooms (room_id),
                seq     BIGINT NOT NULL,
                sender  TEXT   NOT NULL,
                text    TEXT   NOT NULL,
                ts      BIGINT NOT NULL,
                ref     TEXT,
                PRIMARY KEY (room_id, seq)
              )""",
              "CREATE UNIQUE INDEX messages_by_ref ON messages (sender, ref) WHERE ref IS NOT NULL",
              // Written and emptied in one transaction by the health probe (StorageHealth).
              "CREATE TABLE health_probe (id BIGSERIAL PRIMARY KEY, pad BYTEA NOT NULL)"),
          // 2: operators' changes (chat admin), which a running server polls to close sockets.
          List.of(
              """
              CREATE TABLE disabled_users (
                user_id     TEXT   NOT NULL PRIMARY KEY REFERENCES users (user_id),
                disabled_at BIGINT NOT NULL
              )""",
              """
              CREATE TABLE admin_events (
                id      BIGSERIAL PRIMARY KEY,
                user_id TEXT   NOT NULL,
                action  TEXT   NOT NULL,
                at      BIGINT NOT NULL
              )"""),
          // 3: ids compare and sort by their characters' codes, as SQLite's BINARY does, whatever
          // the database's collation: under en_US, rooms and members were listed in another order.
          // (Only the indexes on these columns are rebuilt; the tables are not rewritten.)
          List.of(
              "ALTER TABLE users ALTER COLUMN user_id TYPE TEXT COLLATE \"C\"",
              "ALTER TABLE sessions ALTER COLUMN user_id TYPE TEXT COLLATE \"C\"",
              "ALTER TABLE rooms ALTER COLUMN room_id TYPE TEXT COLLATE \"C\","
                  + " ALTER COLUMN created_by TYPE TEXT COLLATE \"C\"",
              "ALTER TABLE room_members ALTER COLUMN room_id TYPE TEXT COLLATE \"C\","
                  + " ALTER COLUMN user_id TYPE TEXT COLLATE \"C\"",
              "ALTER TABLE messages ALTER COLUMN room_id TYPE TEXT COLLATE \"C\","
                  + " ALTER COLUMN sender TYPE TEXT COLLATE \"C\","
                  + " ALTER COLUMN ref TYPE TEXT COLLATE \"C\"",
              "ALTER TABLE disabled_users ALTER COLUMN user_id TYPE TEXT COLLATE \"C\"",
              "ALTER TABLE admin_events ALTER COLUMN user_id TYPE TEXT COLLATE \"C\""));

  private PostgresSchema() {}

  static int latestVersion() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the database up to {@link #latestVersion()} in one transaction.
   *
   * @throws StoreException when the database was written by a newer version of the server
   */
  static void migrate(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try {
      // a node waits for another's migration however long it takes, not the store's lock timeout
      execute(c, "SET LOCAL lock_timeout = 0");
      execute(c, "SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      execute(c, "CREATE TABLE IF NOT EXISTS jchat_schema (version INTEGER NOT NULL)");
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
      execute(c, "DELETE FROM jchat_schema");
      execute(c, "INSERT INTO jchat_schema (version) VALUES (" + latestVersion() + ")");
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  static int version(Connection c) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT max(version) FROM jchat_schema");
        ResultSet row = query.executeQuery()) {
      return row.next() ? row.getInt(1) : 0;
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      statement.execute();
    }
  }
}
