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
 * <p>A batch appends its messages to {@code recent_messages}, in commit order, so that it dirties a
 * few pages however many rooms it spans; {@code messages} is clustered by room, and a batch over
 * 1,000 rooms wrote 1,000 of its pages to the WAL (docs/performance.md). Once {@link
 * FoldAt#DEFAULT} is reached, {@link #afterBatch} moves them all into {@code messages} in one
 * transaction, which writes each room's page once for all of its rows. Readers see both tables in
 * one statement ({@link MessageQueries#WITH_RECENT}).
 *
 * <p>A failed batch leaves nothing behind: it is rolled back, the statements are dropped
 * (sqlite-jdbc closes a statement that failed, and SQLite may have rolled back by itself), and a
 * connection that cannot be shown to be outside a transaction is closed, since it may hold the
 * write lock. The next batch prepares again, on a new connection if need be, so the writer recovers
 * as soon as the database can be written again.
 */
final class SqliteBatches implements MessageBatches {
  // A ref is looked up in messages before its send is stored; a repeat of one still in
  // recent_messages is refused by that table's (sender, ref) index, which the insert checks
  // anyway, and only then looked up there. Only that index may refuse a row: a clash on
  // (room_id, seq) would be a counter bug and must fail loudly, so the conflict target is
  // explicit.
  private static final String INSERT =
      "INSERT INTO recent_messages (room_id, seq, sender, text, ts, ref)"
          + " VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (sender, ref) WHERE ref IS NOT NULL DO NOTHING";
  private static final String FIND_FOLDED_REF =
      "SELECT room_id, seq, text, ts FROM messages WHERE sender = ? AND ref = ?";
  private static final String FIND_RECENT_REF =
      "SELECT room_id, seq, text, ts FROM recent_messages WHERE sender = ? AND ref = ?";
  private static final String COUNT_RECENT =
      "SELECT count(*), coalesce(sum(length(text)), 0) FROM recent_messages";
  // In (room_id, seq) order, so that each page of messages is written once per fold.
  private static final String FOLD_COPY =
      "INSERT INTO messages (room_id, seq, sender, text, ts, ref)"
          + " SELECT room_id, seq, sender, text, ts, ref FROM recent_messages"
          + " ORDER BY room_id, seq";
  private static final String FOLD_EMPTY = "DELETE FROM recent_messages";
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

  /**
   * When {@code recent_messages} is folded: once it holds {@code rows} rows or {@code chars}
   * characters of text, whichever comes first.
   */
  record FoldAt(long rows, long chars) {
    /**
     * A fold writes each room's newest page of {@code messages} once for all of its rows there, so
     * larger folds cost less per message; but the writer answers no send while it folds, and every
     * batch updates the table's (room_id, seq) index, which grows with it. Measured in the
     * small-rooms benchmark (docs/performance.md): 16,384 rows gave less, 65,536 a worse p99;
     * 32,768 took 50-150 ms, and up to about 300 ms when every send has a ref, since each row then
     * also goes into the (sender, ref) index of messages, which only grows. Smaller folds after
     * long ones cost more per message than they saved in pauses. The characters bound keeps a fold
     * of long texts as short: 4 Mi characters are 32,768 texts of 128.
     */
    static final FoldAt DEFAULT = new FoldAt(32_768, 4L << 20);

    FoldAt {
      if (rows <= 0 || chars <= 0) {
        throw new IllegalArgumentException("fold thresholds must be positive");
      }
    }

    boolean reached(long recentRows, long recentChars) {
      return recentRows >= rows || recentChars >= chars;
    }

    /** The same thresholds counted from {@code rows} and {@code chars} already there. */
    FoldAt above(long rows, long chars) {
      return new FoldAt(saturated(rows, this.rows), saturated(chars, this.chars));
    }

    private static long saturated(long a, long b) {
      long sum = a + b;
      return sum < 0 ? Long.MAX_VALUE : sum; // both are never negative
    }
  }

  private static final System.Logger LOG = System.getLogger(SqliteBatches.class.getName());

  /** The prepared statements of one connection. */
  private record Statements(
      PreparedStatement begin,
      PreparedStatement commit,
      PreparedStatement insert,
      PreparedStatement findFoldedRef,
      PreparedStatement findRecentRef,
      PreparedStatement loadLastSeq,
      PreparedStatement updateLastSeq,
      PreparedStatement countRecent,
      PreparedStatement foldCopy,
      PreparedStatement foldEmpty) {

    static Statements prepare(Connection c) throws SQLException {
      List<PreparedStatement> done = new ArrayList<>();
      try {
        for (String sql :
            List.of(
                Transactions.BEGIN,
                Transactions.COMMIT,
                INSERT,
                FIND_FOLDED_REF,
                FIND_RECENT_REF,
                MessageQueries.WITH_RECENT.lastSeq(),
                UPDATE_LAST_SEQ,
                COUNT_RECENT,
                FOLD_COPY,
                FOLD_EMPTY)) {
          done.add(c.prepareStatement(sql));
        }
      } catch (SQLException e) {
        closeAll(done);
        throw e;
      }
      return new Statements(
          done.get(0),
          done.get(1),
          done.get(2),
          done.get(3),
          done.get(4),
          done.get(5),
          done.get(6),
          done.get(7),
          done.get(8),
          done.get(9));
    }

    void close() {
      closeAll(
          List.of(
              begin,
              commit,
              insert,
              findFoldedRef,
              findRecentRef,
              loadLastSeq,
              updateLastSeq,
              countRecent,
              foldCopy,
              foldEmpty));
    }
  }

  private final Database db;
  private final Connection original;
  private final FoldAt foldAt;
  private Connection connection; // null after it was closed, until the next batch opens one
  private Statements statements; // null until prepared, and again after a failure

  /** The last seq given out per room; a room is here once it is known to exist. */
  private final Map<String, Long> lastSeqs = new HashMap<>();

  /**
   * Rows in recent_messages and their text's length; -1 when not known (at first, after a failure).
   */
  private long recentRows = -1;

  private long recentChars;

  /** {@link #foldAt}, or after a failed fold more, so that the next waits for new rows. */
  private FoldAt nextFold;

  /**
   * @param foldAt when to fold ({@link FoldAt#DEFAULT})
   */
  SqliteBatches(Database db, Connection writeConnection, FoldAt foldAt) {
    this.db = db;
    this.original = writeConnection;
    this.connection = original;
    this.foldAt = foldAt;
    this.nextFold = foldAt;
  }

  @Override
  public List<Outcome> write(List<PendingSend> batch, LongSupplier clock) {
    try {
      Statements s = ready();
      Map<String, Long> touched = new LinkedHashMap<>();
      s.begin().execute();
      List<Outcome> outcomes = new ArrayList<>(batch.size());
      long rows = 0;
      long chars = 0;
      for (PendingSend send : batch) {
        Outcome outcome = writeOne(s, send, clock.getAsLong(), touched);
        if (outcome.appended() != null && !outcome.appended().duplicate()) {
          rows++;
          chars += send.text().length();
        }
        outcomes.add(outcome);
      }
      saveLastSeqs(s, touched);
      s.commit().execute();
      recentRows += rows;
      recentChars += chars;
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
      pragma("cache_size = -" + WRITER_CACHE_KIB);
      pragma("foreign_keys = ON");
      statements = Statements.prepare(connection);
    }
    if (recentRows < 0) {
      try (ResultSet row = statements.countRecent().executeQuery()) {
        row.next();
        recentRows = row.getLong(1);
        recentChars = row.getLong(2);
      }
    }
    return statements;
  }

  /**
   * Folds {@code recent_messages} into {@code messages} once it reached {@link #foldAt}, in one
   * transaction: a crash or failure part-way leaves both tables as they were. Takes the writer for
   * as long as the fold (see {@link FoldAt#DEFAULT}), after the batch's answers. A failed fold is
   * logged and tried again once as much again has come.
   */
  @Override
  public void afterBatch() {
    if (recentRows < 0 || !nextFold.reached(recentRows, recentChars)) {
      return; // when the count is not known, the next batch reads it
    }
    try {
      Statements s = ready();
      // Every row was checked against rooms when it entered recent_messages, and rooms are
      // never deleted; checking again took a sixth of the writer's time. Outside the
      // transaction, where the pragma takes effect; ready() turns checks on again after a
      // failure.
      pragma("foreign_keys = OFF");
      s.begin().execute();
      s.foldCopy().executeUpdate();
      s.foldEmpty().executeUpdate();
      s.commit().execute();
      pragma("foreign_keys = ON");
      recentRows = 0;
      recentChars = 0;
      nextFold = foldAt;
    } catch (SQLException | RuntimeException e) {
      nextFold = foldAt.above(recentRows, recentChars);
      recover(e);
      LOG.log(
          System.Logger.Level.WARNING,
          "moving recent messages into the messages table failed; they stay where they are,"
              + " readable, and the move is tried again later: "
              + (e instanceof SQLException ? StoreException.oneLine(e.getMessage()) : e),
          e);
    }
  }

  private void pragma(String setting) throws SQLException {
    try (Statement pragma = connection.createStatement()) {
      // PRAGMA takes no bound parameters; the values are our own constants.
      pragma.execute("PRAGMA " + setting);
    }
  }

  /** Leaves no transaction open and nothing cached that the failure may have spoiled. */
  private void recover(Exception failure) {
    lastSeqs.clear();
    recentRows = -1;
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
    // A repeated ref: the seq is not used (no gap), and the answer is the original, which may
    // be earlier in this same batch, since the transaction sees its own rows.
    if (send.ref() != null) {
      StoredMessage original = findByRef(s.findFoldedRef(), send.userId(), send.ref());
      if (original != null) {
        return Outcome.stored(original, send.ref(), true);
      }
    }
    long seq = last + 1;
    if (!insert(s.insert(), send, seq, now)) {
      StoredMessage original = findByRef(s.findRecentRef(), send.userId(), send.ref());
      if (original == null) {
        throw new SQLException(
            "message with ref '" + send.ref() + "' was refused but is not stored");
      }
      return Outcome.stored(original, send.ref(), true);
    }
    lastSeqs.put(send.roomId(), seq);
    touched.put(send.roomId(), seq);
    StoredMessage message = new StoredMessage(send.roomId(), seq, send.userId(), send.text(), now);
    return Outcome.stored(message, send.ref(), false);
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

  /** False when the (sender, ref) index refused the row: a repeat still in recent_messages. */
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

  /** The message {@code userId} stored with {@code ref}, or null. */
  private static StoredMessage findByRef(PreparedStatement findByRef, String userId, String ref)
      throws SQLException {
    findByRef.setString(1, userId);
    findByRef.setString(2, ref);
    try (ResultSet row = findByRef.executeQuery()) {
      if (!row.next()) {
        return null;
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
