package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Writes a batch of sends in one transaction on the write connection: gives each message its room's
 * next seq, answers a repeated {@code (sender, ref)} with the original, and moves each touched
 * room's {@code last_seq}. Used only by the message log's writer thread, which owns the per-room
 * seq counters and keeps the statements prepared between batches.
 */
final class BatchWriter implements AutoCloseable {
  // Only the (sender, ref) index is allowed to refuse a row; a clash on (room_id, seq) would be
  // a counter bug and must fail loudly, so the conflict target is explicit.
  private static final String INSERT =
      "INSERT INTO messages (room_id, seq, sender, text, ts, ref) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (sender, ref) WHERE ref IS NOT NULL DO NOTHING";
  private static final String FIND_BY_REF =
      "SELECT room_id, seq, text, ts FROM messages WHERE sender = ? AND ref = ?";
  private static final String UPDATE_LAST_SEQ = "UPDATE rooms SET last_seq = ? WHERE room_id = ?";

  /** What became of one send. Exactly one of the two is non-null. */
  record Outcome(MessageLog.Appended appended, RuntimeException failure) {}

  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement insert;
  private final PreparedStatement findByRef;
  private final PreparedStatement loadLastSeq;
  private final PreparedStatement updateLastSeq;

  /** The last seq given out per room; a room is here once it is known to exist. */
  private final Map<String, Long> lastSeqs = new HashMap<>();

  BatchWriter(Connection connection) throws SQLException {
    begin = connection.prepareStatement(Transactions.BEGIN);
    commit = connection.prepareStatement(Transactions.COMMIT);
    rollback = connection.prepareStatement(Transactions.ROLLBACK);
    insert = connection.prepareStatement(INSERT);
    findByRef = connection.prepareStatement(FIND_BY_REF);
    loadLastSeq = connection.prepareStatement(MessageStore.LAST_SEQ);
    updateLastSeq = connection.prepareStatement(UPDATE_LAST_SEQ);
  }

  /**
   * Writes and commits {@code batch}.
   *
   * @return one outcome per send, in order; valid only because the batch committed
   * @throws SQLException after rolling the whole batch back; the touched rooms' counters are then
   *     reloaded from the database on their next use
   */
  List<Outcome> write(List<PendingSend> batch, LongSupplier clock) throws SQLException {
    Map<String, Long> touched = new LinkedHashMap<>();
    begin.execute();
    try {
      List<Outcome> outcomes = new ArrayList<>(batch.size());
      for (PendingSend send : batch) {
        outcomes.add(writeOne(send, clock.getAsLong(), touched));
      }
      saveLastSeqs(touched);
      commit.execute();
      return outcomes;
    } catch (SQLException | RuntimeException e) {
      try {
        rollback.execute();
      } catch (SQLException rollbackFailure) {
        // SQLite may have rolled back by itself already (e.g. after SQLITE_FULL).
        e.addSuppressed(rollbackFailure);
      }
      batch.forEach(send -> lastSeqs.remove(send.roomId()));
      throw e;
    }
  }

  private Outcome writeOne(PendingSend send, long now, Map<String, Long> touched)
      throws SQLException {
    Long last = lastSeq(send.roomId());
    if (last == null) {
      return new Outcome(null, new UnknownRoomException(send.roomId()));
    }
    long seq = last + 1;
    if (insert(send, seq, now)) {
      lastSeqs.put(send.roomId(), seq);
      touched.put(send.roomId(), seq);
      StoredMessage message =
          new StoredMessage(send.roomId(), seq, send.userId(), send.text(), now);
      return new Outcome(new MessageLog.Appended(message, send.ref(), false), null);
    }
    // A repeated ref: the seq is not used (no gap), and the answer is the original, which may
    // be earlier in this same batch, since the transaction sees its own rows.
    StoredMessage original = findByRef(send.userId(), send.ref());
    return new Outcome(new MessageLog.Appended(original, send.ref(), true), null);
  }

  /** The room's last seq, loaded on first use; {@code null} when the room does not exist. */
  private Long lastSeq(String roomId) throws SQLException {
    Long last = lastSeqs.get(roomId);
    if (last != null) {
      return last;
    }
    loadLastSeq.setString(1, roomId);
    try (ResultSet row = loadLastSeq.executeQuery()) {
      if (!row.next()) {
        return null; // not cached: the room may be created later
      }
      last = row.getLong(1);
    }
    lastSeqs.put(roomId, last);
    return last;
  }

  private boolean insert(PendingSend send, long seq, long now) throws SQLException {
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

  private StoredMessage findByRef(String userId, String ref) throws SQLException {
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

  private void saveLastSeqs(Map<String, Long> touched) throws SQLException {
    for (Map.Entry<String, Long> room : touched.entrySet()) {
      updateLastSeq.setLong(1, room.getValue());
      updateLastSeq.setString(2, room.getKey());
      updateLastSeq.executeUpdate();
    }
  }

  @Override
  public void close() {
    for (PreparedStatement statement :
        List.of(begin, commit, rollback, insert, findByRef, loadLastSeq, updateLastSeq)) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // The connection stays with the Database, which closes it.
      }
    }
  }
}
