package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link MessageBatches} on SQLite: one {@code BEGIN IMMEDIATE} transaction per batch on the
 * database's write connection. The writer thread is the only writer of the file, so it keeps each
 * room's last seq in memory between batches (loaded inside a transaction on first use, and again
 * after any failure), and keeps its statements prepared.
 *
 * <p>A failed batch leaves nothing behind: it is rolled back, the statements are dropped
 * (sqlite-jdbc closes a statement that failed, and SQLite may have rolled back by itself), and a
 * connection that cannot be shown to be outside a transaction is closed, since it may hold the
 * write lock. The next batch prepares again, on a new connection if need be, so the writer recovers
 * as soon as the database can be written again.
 */
final class SqliteBatches implements MessageBatches {
  // Only the (sender, ref) index is allowed to refuse a row; a clash on (room_id, seq) would be
  // a counter bug and must fail loudly, so the conflict target is explicit.
  private static final String INSERT =
      "INSERT INTO messages (room_id, seq, sender, text, ts, ref) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (sender, ref) WHERE ref IS NOT NULL DO NOTHING";
  private static final String FIND_BY_REF =
      "SELECT room_id, seq, text, ts FROM messages WHERE sender = ? AND ref = ?";
  private static final String UPDATE_LAST_SEQ = "UPDATE rooms SET last_seq = ? WHERE room_id = ?";

  /**
   * The write connection's page cache, in KiB (SQLite's default is 2 MiB). A batch touches the
   * newest leaf page of every room it writes to: with 1,000 busy rooms that is more pages than the
   * default holds, so SQLite spilled dirty pages into the WAL before the commit and read them back
   * in the next batch (about a quarter of the writer's time in the small-rooms benchmark went to
   * those reads and spills; docs/performance.md). The cache fills only as far as the pages the
   * writer touches.
   */
  static final int WRITER_CACHE_KIB = 64 * 1024;

  /** The prepared statements of one connection. */
  private record Statements(
      PreparedStatement begin,
      PreparedStatement commit,
      PreparedStatement insert,
      PreparedStatement findByRef,
      PreparedStatement loadLastSeq,
      PreparedStatement updateLastSeq) {

    static Statements prepare(Connection c) throws SQLException {
      List<PreparedStatement> done = new ArrayList<>();
      try {
        for (String sql :
            List.of(
                Transactions.BEGIN,
                Transactions.COMMIT,
                INSERT,
                FIND_BY_REF,
                SqlMessageStore.LAST_SEQ,
                UPDATE_LAST_SEQ)) {
          done.add(c.prepareStatement(sql));
        }
      } catch (SQLException e) {
        closeAll(done);
        throw e;
      }
      return new Statements(
          done.get(0), done.get(1), done.get(2), done.get(3), done.get(4), done.get(5));
    }

    void close() {
      closeAll(List.of(begin, commit, insert, findByRef, loadLastSeq, updateLastSeq));
    }
  }

  private final Database db;
  private final Connection original;
  private Connection connection; // null after it was closed, until the next batch opens one
  private Statements statements; // null until prepared, and again after a failure

  /** The last seq given out per room; a room is here once it is known to exist. */
  private final Map<String, Long> lastSeqs = new HashMap<>();

  SqliteBatches(Database db, Connection writeConnection) {
    this.db = db;
    this.original = writeConnection;
    this.connection = original;
  }

  @Override
  public List<Outcome> write(List<PendingSend> batch, LongSupplier clock) {
    try {
      Statements s = ready();
      Map<String, Long> touched = new LinkedHashMap<>();
      s.begin().execute();
      List<Outcome> outcomes = new ArrayList<>(batch.size());
      for (PendingSend send : batch) {
        outcomes.add(writeOne(s, send, clock.getAsLong(), touched));
      }
      saveLastSeqs(s, touched);
      s.commit().execute();
      return outcomes;
    } catch (SQLException e) {
      recover(e);
      throw StoreException.of("append message", e);
    } catch (RuntimeException e) {
      recover(e);
      throw new StoreException("append message: " + e, e);
    }
  }

  /**
   * The statements, prepared again (on a new connection if the last one was closed) after a
   * failure.
   */
  private Statements ready() throws SQLException {
    if (connection == null) {
      connection = db.openConnection();
    }
    db.pageLimit().applyTo(connection);
    if (statements == null) {
      try (Statement pragma = connection.createStatement()) {
        // PRAGMA takes no bound parameters; the value is our own constant.
        pragma.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
      }
      statements = Statements.prepare(connection);
    }
    return statements;
  }

  /** Leaves no transaction open and nothing cached that the failure may have spoiled. */
  private void recover(Exception failure) {
    lastSeqs.clear();
    if (statements != null) {
      statements.close();
      statements = null;
    }
    if (connection != null && !Transactions.rollback(connection, failure)) {
      ConnectionPool.closeQuietly(connection); // closing rolls back and releases the lock
      connection = null;
    }
  }

  private Outcome writeOne(Statements s, PendingSend send, long now, Map<String, Long> touched)
      throws SQLException {
    Long last = lastSeq(s.loadLastSeq(), send.roomId());
    if (last == null) {
      return Outcome.failed(new UnknownRoomException(send.roomId()));
    }
    long seq = last + 1;
    if (insert(s.insert(), send, seq, now)) {
      lastSeqs.put(send.roomId(), seq);
      touched.put(send.roomId(), seq);
      StoredMessage message =
          new StoredMessage(send.roomId(), seq, send.userId(), send.text(), now);
      return Outcome.stored(message, send.ref(), false);
    }
    // A repeated ref: the seq is not used (no gap), and the answer is the original, which may
    // be earlier in this same batch, since the transaction sees its own rows.
    StoredMessage original = findByRef(s.findByRef(), send.userId(), send.ref());
    return Outcome.stored(original, send.ref(), true);
  }

  /** The room's last seq, loaded on first use; {@code null} when the room does not exist. */
  private Long lastSeq(PreparedStatement loadLastSeq, String roomId) throws SQLException {
    Long last = lastSeqs.get(roomId);
    if (last != null) {
      return last;
    }
    loadLastSeq.setString(1, roomId);
    try (ResultSet row = loadLastSeq.executeQuery()) {
      if (!row.next()) {
        return null; // not cached: the room may be created later
      }
      last = Math.max(row.getLong(1), row.getLong(2));
    }
    lastSeqs.put(roomId, last);
    return last;
  }

  private static boolean insert(PreparedStatement insert, PendingSend send, long seq, long now)
      throws SQLException {
    insert.setString(1, send.roomId());
    insert.setLong(2, seq);
    insert.setString(3, send.userId());
    insert.setString(4, send.text());
    insert.setLong(5, now);
    if (send.ref() == null) {
      insert.setNull(6, Types.VARCHAR);
    } else {
      insert.setString(6, send.ref());
    }
    return insert.executeUpdate() == 1;
  }

  private static StoredMessage findByRef(PreparedStatement findByRef, String userId, String ref)
      throws SQLException {
    findByRef.setString(1, userId);
    findByRef.setString(2, ref);
    try (ResultSet row = findByRef.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("message with ref '" + ref + "' was refused but is not stored");
      }
      return new StoredMessage(
          row.getString(1), row.getLong(2), userId, row.getString(3), row.getLong(4));
    }
  }

  private static void saveLastSeqs(Statements s, Map<String, Long> touched) throws SQLException {
    PreparedStatement updateLastSeq = s.updateLastSeq();
    for (Map.Entry<String, Long> room : touched.entrySet()) {
      updateLastSeq.setLong(1, room.getValue());
      updateLastSeq.setString(2, room.getKey());
      updateLastSeq.executeUpdate();
    }
  }

  /** Closes the statements, and a replacement connection (the Database closes the original). */
  @Override
  public void close() {
    if (statements != null) {
      statements.close();
    }
    statements = null;
    if (connection != null && connection != original) {
      ConnectionPool.closeQuietly(connection);
    }
  }

  private static void closeAll(List<PreparedStatement> statements) {
    for (PreparedStatement statement : statements) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // Closing is best effort; the connection goes on or is closed itself.
      }
    }
  }
}
