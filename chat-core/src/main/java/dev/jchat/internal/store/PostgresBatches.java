package dev.jchat.internal.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * {@link MessageBatches} on PostgreSQL: one transaction per batch on a pooled connection, in which
 * seqs come from the rooms themselves ({@code UPDATE rooms SET last_seq = last_seq + n ...
 * RETURNING last_seq}), never from this process's memory. The row lock that UPDATE takes orders
 * every writer of a room, in this process or another, and a rolled-back batch gives its seqs back
 * with the rest of it, so each room has one gap-free order.
 *
 * <p>A batch: (1) lock the senders that carry refs (an advisory lock per sender, so two processes
 * cannot both store one {@code (sender, ref)}), (2) read which refs are already stored, (3) count
 * the new messages per room and take that many seqs per room, (4) insert them in one batched
 * statement, (5) commit. Locks are taken in sorted order (senders, then rooms), so concurrent
 * batches cannot deadlock. Used by the message log's writer thread only.
 */
final class PostgresBatches implements MessageBatches {
  private static final String LOCK_SENDERS =
      "SELECT pg_advisory_xact_lock(hashtextextended(s, 0)) FROM unnest(?::text[]) AS s ORDER BY s";
  private static final String FIND_REFS =
      "SELECT m.sender, m.ref, m.room_id, m.seq, m.text, m.ts FROM messages m"
          + " JOIN unnest(?::text[], ?::text[]) AS k(sender, ref)"
          + " ON m.sender = k.sender AND m.ref = k.ref";
  private static final String TAKE_SEQS =
      "UPDATE rooms SET last_seq = last_seq + ? WHERE room_id = ? RETURNING last_seq";
  private static final String INSERT =
      "INSERT INTO messages (room_id, seq, sender, text, ts, ref) VALUES (?, ?, ?, ?, ?, ?)";

  private final PostgresStore store;

  PostgresBatches(PostgresStore store) {
    this.store = store;
  }

  @Override
  public List<Outcome> write(List<PendingSend> batch, LongSupplier clock) {
    try (Connection c = store.connection()) {
      return PostgresStore.inTransaction(c, t -> writeIn(t, batch, clock));
    } catch (SQLException e) {
      throw StoreException.of("append message", e);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreException("append message: " + e, e);
    }
  }

  /** The ref key of a send: sender and ref, which cannot contain NUL. */
  private static String key(String sender, String ref) {
    return sender + '\0' + ref;
  }

  private static List<Outcome> writeIn(Connection c, List<PendingSend> batch, LongSupplier clock)
      throws SQLException {
    Map<String, StoredMessage> stored = storedRefs(c, batch);
    // Which sends are new, per room (sorted: rows are locked in this order), and which repeat
    // a ref of an earlier send of this batch.
    Map<String, Integer> perRoom = new TreeMap<>();
    Map<String, Integer> firstWithRef = new HashMap<>();
    int[] repeats = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      PendingSend send = batch.get(i);
      repeats[i] = -1;
      if (send.ref() != null) {
        String key = key(send.userId(), send.ref());
        if (stored.containsKey(key)) {
          continue;
        }
        Integer first = firstWithRef.putIfAbsent(key, i);
        if (first != null) {
          repeats[i] = first;
          continue;
        }
      }
      perRoom.merge(send.roomId(), 1, Integer::sum);
    }
    Map<String, Long> nextSeq = takeSeqs(c, perRoom);
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      for (int i = 0; i < batch.size(); i++) {
        PendingSend send = batch.get(i);
        String key = send.ref() == null ? null : key(send.userId(), send.ref());
        if (key != null && stored.containsKey(key)) {
          outcomes.add(Outcome.stored(stored.get(key), send.ref(), true));
        } else if (repeats[i] >= 0) {
          Outcome first = outcomes.get(repeats[i]);
          outcomes.add(
              first.failure() != null
                  ? first
                  : Outcome.stored(first.appended().message(), send.ref(), true));
        } else if (!nextSeq.containsKey(send.roomId())) {
          outcomes.add(Outcome.failed(new UnknownRoomException(send.roomId())));
        } else {
          long seq = nextSeq.merge(send.roomId(), 1L, Long::sum) - 1;
          StoredMessage message =
              new StoredMessage(send.roomId(), seq, send.userId(), send.text(), clock.getAsLong());
          addInsert(insert, message, send.ref());
          outcomes.add(Outcome.stored(message, send.ref(), false));
        }
      }
      insert.executeBatch();
    }
    return outcomes;
  }

  /** Locks the senders with refs, then reads which of their refs are stored, by key. */
  private static Map<String, StoredMessage> storedRefs(Connection c, List<PendingSend> batch)
      throws SQLException {
    TreeSet<String> senders = new TreeSet<>();
    List<String> refSenders = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (PendingSend send : batch) {
      if (send.ref() == null) {
        continue;
      }
      senders.add(send.userId());
      refSenders.add(send.userId());
      refs.add(send.ref());
    }
    Map<String, StoredMessage> stored = new HashMap<>();
    if (senders.isEmpty()) {
      return stored;
    }
    try (PreparedStatement lock = c.prepareStatement(LOCK_SENDERS)) {
      lock.setArray(1, c.createArrayOf("text", senders.toArray()));
      lock.executeQuery().close();
    }
    try (PreparedStatement find = c.prepareStatement(FIND_REFS)) {
      Array senderArray = c.createArrayOf("text", refSenders.toArray());
      Array refArray = c.createArrayOf("text", refs.toArray());
      find.setArray(1, senderArray);
      find.setArray(2, refArray);
      try (ResultSet row = find.executeQuery()) {
        while (row.next()) {
          stored.put(
              key(row.getString(1), row.getString(2)),
              new StoredMessage(
                  row.getString(3),
                  row.getLong(4),
                  row.getString(1),
                  row.getString(5),
                  row.getLong(6)));
        }
      }
    }
    return stored;
  }

  /**
   * Takes {@code n} seqs from each room, in room order; returns each existing room's first new seq.
   * A room that does not exist is left out.
   */
  private static Map<String, Long> takeSeqs(Connection c, Map<String, Integer> perRoom)
      throws SQLException {
    Map<String, Long> first = new HashMap<>();
    try (PreparedStatement take = c.prepareStatement(TAKE_SEQS)) {
      for (Map.Entry<String, Integer> room : perRoom.entrySet()) {
        take.setLong(1, room.getValue());
        take.setString(2, room.getKey());
        try (ResultSet row = take.executeQuery()) {
          if (row.next()) {
            first.put(room.getKey(), row.getLong(1) - room.getValue() + 1);
          }
        }
      }
    }
    return first;
  }

  private static void addInsert(PreparedStatement insert, StoredMessage message, String ref)
      throws SQLException {
    insert.setString(1, message.roomId());
    insert.setLong(2, message.seq());
    insert.setString(3, message.from());
    insert.setString(4, message.text());
    insert.setLong(5, message.ts());
    if (ref == null) {
      insert.setNull(6, Types.VARCHAR);
    } else {
      insert.setString(6, ref);
    }
    insert.addBatch();
  }

  /** Nothing to release: each batch gives its connection back to the pool. */
  @Override
  public void close() {}
}
