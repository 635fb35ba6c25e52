package dev.jchat.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Copies a chat database from an SQLite file to an empty PostgreSQL database ({@code chat
 * migrate}): users with their password hashes, sessions, rooms with their seq counters, members,
 * messages with their seqs and refs, disabled users and the operators' events.
 *
 * <p>The source is read in one read transaction (a consistent snapshot, also while a server writes
 * to the file). The target is written in one transaction, in batches of {@link #BATCH} rows, after
 * its schema is migrated, its tables are locked and found empty; the counts of every table and the
 * last seq and highest message seq of every room are compared on both sides before the commit. Any
 * failure rolls the whole copy back, so the target stays empty and the copy can be run again.
 */
public final class SqliteToPostgres {
  /** Rows per JDBC batch. */
  static final int BATCH = 1_000;

  /** Messages between two progress lines. */
  static final int PROGRESS_EVERY = 10_000;

  /** Rows copied, per table. */
  public record Counts(
      long users,
      long sessions,
      long rooms,
      long members,
      long messages,
      long disabledUsers,
      long adminEvents) {}

  /**
   * @param source what the table's rows are read from in the SQLite file
   */
  private record Table(String name, String columns, int width, String source) {
    Table(String name, String columns, int width) {
      this(name, columns, width, name);
    }
  }

  private static final String MESSAGE_COLUMNS = "room_id, seq, sender, text, ts, ref";

  /** SQLite keeps the newest messages in recent_messages until they are folded (Schema). */
  private static final String SQLITE_MESSAGES =
      "(SELECT "
          + MESSAGE_COLUMNS
          + " FROM messages UNION ALL SELECT "
          + MESSAGE_COLUMNS
          + " FROM recent_messages)";

  private static final List<Table> TABLES =
      List.of(
          new Table("users", "user_id, name, email, password_hash, created_at", 5),
          new Table("sessions", "token_hash, user_id, created_at, expires_at", 4),
          new Table("rooms", "room_id, name, private, created_by, created_at, last_seq", 6),
          new Table("room_members", "room_id, user_id", 2),
          new Table("messages", MESSAGE_COLUMNS, 6, SQLITE_MESSAGES),
          new Table("disabled_users", "user_id, disabled_at", 2),
          new Table("admin_events", "id, user_id, action, at", 4));

  private SqliteToPostgres() {}

  /**
   * Copies {@code source} into {@code target}.
   *
   * @param progress receives one line per table and one every {@value #PROGRESS_EVERY} messages
   * @throws StoreException in one line (never with the password) when the source is not a chat
   *     database of the current schema, the target cannot be reached or already holds a user, room
   *     or message, or the verification finds a difference
   */
  public static Counts copy(Path source, PostgresUrl target, Consumer<String> progress) {
    try (AdminDatabase sqlite = AdminDatabase.open(source)) {
      Connection from = sqlite.connection();
      try (Connection to = connect(target)) {
        PostgresSchema.migrate(to);
        from.setAutoCommit(false); // one read transaction: a consistent snapshot of the file
        try {
          return PostgresStore.inTransaction(
              to, c -> copyAll(from, c, target.describe(), progress));
        } finally {
          from.rollback();
          from.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new StoreException(
            "migrate " + source + " to " + target.describe() + ": " + reason(e), e);
      }
    }
  }

  private static Connection connect(PostgresUrl url) {
    Properties properties = new Properties();
    if (url.user() != null) {
      properties.setProperty("user", url.user());
    }
    if (url.password() != null) {
      properties.setProperty("password", url.password());
    }
    properties.setProperty("ApplicationName", "jchat migrate");
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("connectTimeout", "5");
    try {
      return DriverManager.getConnection(url.jdbcUrl(), properties);
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + url.describe() + ": " + reason(e), e);
    }
  }

  private static String reason(SQLException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return StoreException.oneLine(root.getMessage());
  }

  private static Counts copyAll(
      Connection from, Connection to, String target, Consumer<String> progress)
      throws SQLException {
    try (Statement lock = to.createStatement()) {
      // nothing else (a server started too early) writes while we check and copy
      lock.execute(
          "LOCK TABLE users, sessions, rooms, room_members, messages, disabled_users,"
              + " admin_events IN EXCLUSIVE MODE");
    }
    long users = count(to, "users");
    long rooms = count(to, "rooms");
    long messages = count(to, "messages");
    if (users + rooms + messages > 0) {
      throw new StoreException(
          target
              + " is not empty ("
              + users
              + " users, "
              + rooms
              + " rooms, "
              + messages
              + " messages); chat migrate copies only into an empty database");
    }
    long total = count(from, SQLITE_MESSAGES);
    long[] copied = new long[TABLES.size()];
    for (int i = 0; i < TABLES.size(); i++) {
      Table table = TABLES.get(i);
      copied[i] = copyTable(from, to, table, total, progress);
      progress.accept("copied " + copied[i] + " rows of " + table.name());
    }
    try (Statement s = to.createStatement()) {
      // ids were copied as they were: the serial continues after the highest
      s.execute(
          "SELECT setval(pg_get_serial_sequence('admin_events', 'id'),"
              + " coalesce(max(id), 0) + 1, false) FROM admin_events");
    }
    verify(from, to);
    progress.accept("verified the counts of every table and the last seq of every room");
    return new Counts(copied[0], copied[1], copied[2], copied[3], copied[4], copied[5], copied[6]);
  }

  private static long copyTable(
      Connection from, Connection to, Table table, long totalMessages, Consumer<String> progress)
      throws SQLException {
    boolean messages = table.name().equals("messages");
    String order =
        switch (table.name()) {
          case "messages" -> " ORDER BY room_id, seq";
          case "admin_events" -> " ORDER BY id";
          default -> "";
        };
    String placeholders = String.join(", ", Collections.nCopies(table.width(), "?"));
    long rows = 0;
    try (PreparedStatement read =
            from.prepareStatement("SELECT " + table.columns() + " FROM " + table.source() + order);
        PreparedStatement write =
            to.prepareStatement(
                "INSERT INTO "
                    + table.name()
                    + " ("
                    + table.columns()
                    + ") VALUES ("
                    + placeholders
                    + ")")) {
      read.setFetchSize(BATCH);
      try (ResultSet in = read.executeQuery()) {
        while (in.next()) {
          bind(table.name(), in, write);
          write.addBatch();
          rows++;
          if (rows % BATCH == 0) {
            write.executeBatch();
          }
          if (messages && rows % PROGRESS_EVERY == 0) {
            progress.accept("copied " + rows + " of " + totalMessages + " messages");
          }
        }
      }
      if (rows % BATCH != 0) {
        write.executeBatch();
      }
    }
    return rows;
  }

  private static void bind(String table, ResultSet in, PreparedStatement out) throws SQLException {
    switch (table) {
      case "users" -> {
        out.setString(1, in.getString(1));
        out.setString(2, in.getString(2));
        out.setString(3, in.getString(3));
        out.setString(4, in.getString(4));
        out.setLong(5, in.getLong(5));
      }
      case "sessions" -> {
        out.setBytes(1, in.getBytes(1));
        out.setString(2, in.getString(2));
        out.setLong(3, in.getLong(3));
        out.setLong(4, in.getLong(4));
      }
      case "rooms" -> {
        out.setString(1, in.getString(1));
        out.setString(2, in.getString(2));
        out.setBoolean(3, in.getInt(3) != 0);
        out.setString(4, in.getString(4));
        out.setLong(5, in.getLong(5));
        out.setLong(6, in.getLong(6));
      }
      case "room_members" -> {
        out.setString(1, in.getString(1));
        out.setString(2, in.getString(2));
      }
      case "messages" -> {
        out.setString(1, in.getString(1));
        out.setLong(2, in.getLong(2));
        out.setString(3, in.getString(3));
        out.setString(4, in.getString(4));
        out.setLong(5, in.getLong(5));
        out.setString(6, in.getString(6));
      }
      case "disabled_users" -> {
        out.setString(1, in.getString(1));
        out.setLong(2, in.getLong(2));
      }
      case "admin_events" -> {
        out.setLong(1, in.getLong(1));
        out.setString(2, in.getString(2));
        out.setString(3, in.getString(3));
        out.setLong(4, in.getLong(4));
      }
      default -> throw new IllegalArgumentException(table);
    }
  }

  /** Every table's count and every room's (last_seq, max(seq)) equal on both sides. */
  private static void verify(Connection from, Connection to) throws SQLException {
    for (Table table : TABLES) {
      long source = count(from, table.source());
      long copy = count(to, table.name());
      if (source != copy) {
        throw new StoreException(
            "verification failed: " + table.name() + " has " + source + " rows, copied " + copy);
      }
    }
    Map<String, String> sourceSeqs = roomSeqs(from, MessageQueries.WITH_RECENT.maxSeq());
    Map<String, String> copySeqs = roomSeqs(to, MessageQueries.ONE_TABLE.maxSeq());
    if (!sourceSeqs.equals(copySeqs)) {
      for (Map.Entry<String, String> room : sourceSeqs.entrySet()) {
        String copied = copySeqs.get(room.getKey());
        if (!room.getValue().equals(copied)) {
          throw new StoreException(
              "verification failed: room "
                  + room.getKey()
                  + " has last seq/max seq "
                  + room.getValue()
                  + ", the copy "
                  + copied);
        }
      }
      throw new StoreException("verification failed: the copy has other rooms than the source");
    }
  }

  /**
   * @param maxSeq the room {@code r}'s highest message seq, or null ({@link MessageQueries#maxSeq})
   */
  private static Map<String, String> roomSeqs(Connection c, String maxSeq) throws SQLException {
    Map<String, String> seqs = new TreeMap<>();
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT r.room_id, r.last_seq, coalesce(" + maxSeq + ", 0) FROM rooms r");
        ResultSet rows = q.executeQuery()) {
      while (rows.next()) {
        seqs.put(rows.getString(1), rows.getLong(2) + "/" + rows.getLong(3));
      }
    }
    return seqs;
  }

  private static long count(Connection c, String table) throws SQLException {
    // table names and subqueries are our own constants
    try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + table);
        ResultSet row = q.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }
}
