package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite appends messages to recent_messages and folds them into messages every few rows (10 here):
 * reads, refs and seqs work the same whichever table a message is in, across restarts and across a
 * fold that fails.
 */
class RecentMessagesFoldTest {
  private static final int FOLD_ROWS = 10;

  @TempDir Path dir;
  Database db;
  MessageLog log;
  final AtomicLong time = new AtomicLong(1_000);

  @BeforeEach
  void open() {
    openDatabase();
    db.rooms().createIfMissing("general", 0);
    db.rooms().createIfMissing("random", 0);
    log.start();
  }

  @AfterEach
  void close() {
    log.close();
    db.close();
  }

  private void openDatabase() {
    openDatabase(new SqliteBatches.FoldAt(FOLD_ROWS, Long.MAX_VALUE));
  }

  private void openDatabase(SqliteBatches.FoldAt foldAt) {
    db = Database.open(dir.resolve("chat.db"), false);
    db.foldRecentAt(foldAt);
    log = new MessageLog(db, 1_000, 64, time::incrementAndGet);
  }

  private void reopen() {
    reopen(new SqliteBatches.FoldAt(FOLD_ROWS, Long.MAX_VALUE));
  }

  private void reopen(SqliteBatches.FoldAt foldAt) {
    log.close();
    db.close();
    openDatabase(foldAt);
    log.start();
  }

  /** Appends one at a time, each its own batch, so folds come at known points. */
  private void send(String room, int count) {
    for (int i = 0; i < count; i++) {
      append(room, "alice", room + " " + i, null).message();
    }
  }

  private Ack append(String room, String user, String text, String ref) {
    Ack ack = new Ack();
    log.append(room, user, text, ref, ack);
    return ack;
  }

  @Test
  void pagesAndCatchUpReadAcrossBothTables() {
    send("general", 25); // folds after the 10th and the 20th
    assertEquals(List.of(20L, 5L), rows("general"));

    MessageStore messages = db.messages();
    assertEquals(seqs(1, 25), seqsOf(messages.page("general", null, null, 50)));
    assertEquals(seqs(18, 22), seqsOf(messages.page("general", 23L, null, 5)));
    assertEquals(seqs(18, 22), seqsOf(messages.page("general", null, 17L, 5)));
    assertEquals(seqs(21, 25), seqsOf(messages.page("general", null, null, 5)));
    assertEquals(seqs(1, 3), seqsOf(messages.page("general", 4L, null, 50)));
    assertEquals(seqs(16, 25), seqsOf(messages.newestAfter("general", 15, 100)));
    assertEquals(seqs(23, 25), seqsOf(messages.newestAfter("general", 15, 3)));
    assertEquals(25, messages.lastSeq("general"));
    StoredMessage folded = messages.page("general", 8L, null, 1).get(0);
    assertEquals(new StoredMessage("general", 7, "alice", "general 6", 1_007), folded);
  }

  @Test
  void aFoldMovesEveryRoomAndSeqsGoOnWithoutGaps() {
    for (int i = 0; i < 6; i++) {
      append("general", "alice", "g" + i, null).message();
      append("random", "bob", "r" + i, null).message();
    }
    // the fold came after the 10th row: both rooms moved, the last two stayed
    assertEquals(List.of(5L, 1L), rows("general"));
    assertEquals(List.of(5L, 1L), rows("random"));
    assertEquals(7, append("random", "bob", "r6", null).message().seq());
    assertEquals(seqs(1, 7), seqsOf(db.messages().page("random", null, null, 50)));
    assertEquals(seqs(1, 6), seqsOf(db.messages().page("general", null, null, 50)));
  }

  @Test
  void longTextsAreFoldedSoonerByTheirLength() {
    reopen(new SqliteBatches.FoldAt(1_000, 50));
    append("general", "alice", "x".repeat(20), null).message();
    append("general", "alice", "x".repeat(20), null).message();
    assertEquals(List.of(0L, 2L), rows("general"));
    append("general", "alice", "x".repeat(10), null).message(); // 50 characters
    assertEquals(List.of(3L, 0L), rows("general"));
    // counted again from the file after a restart
    append("general", "alice", "x".repeat(30), null).message();
    reopen(new SqliteBatches.FoldAt(1_000, 50));
    append("general", "alice", "x".repeat(19), null).message();
    assertEquals(List.of(3L, 2L), rows("general"));
    append("general", "alice", "x", null).message();
    assertEquals(List.of(6L, 0L), rows("general"));
  }

  @Test
  void aRefIsAnsweredWithTheOriginalInEitherTable() {
    StoredMessage early = append("general", "alice", "hi", "c-1").message();
    send("general", FOLD_ROWS); // c-1 is folded
    StoredMessage late = append("general", "alice", "later", "c-2").message();
    assertEquals(List.of(10L, 2L), rows("general"));

    Ack folded = append("random", "alice", "hi, again", "c-1");
    Ack recent = append("general", "alice", "later, again", "c-2");
    assertTrue(folded.duplicate());
    assertEquals(early, folded.message());
    assertTrue(recent.duplicate());
    assertEquals(late, recent.message());
    assertEquals(List.of(0L, 0L), rows("random"));
    assertEquals(13, append("general", "alice", "next", null).message().seq());
  }

  @Test
  void rowsLeftInRecentAreReadAndFoldedAfterARestart() {
    send("general", 15);
    reopen();
    assertEquals(15, log.lastSeq("general"));
    assertEquals(seqs(1, 15), seqsOf(db.messages().page("general", null, null, 50)));
    // the writer counts the 5 rows it found, so the fold comes 5 rows later
    send("general", 4);
    assertEquals(List.of(10L, 9L), rows("general"));
    send("general", 1);
    assertEquals(List.of(20L, 0L), rows("general"));
    assertEquals(seqs(1, 20), seqsOf(db.messages().page("general", null, null, 50)));
  }

  @Test
  void aFoldThatFailsLeavesBothTablesReadableAndIsTriedAgain() {
    send("general", 5);
    // A row in messages that clashes with the 7th message, as a broken file might hold: the fold
    // at 10 rows fails on the primary key and is rolled back.
    db.withConnection(
        "plant a clash",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO messages (room_id, seq, sender, text, ts) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, "general");
            insert.setLong(2, 7);
            insert.setString(3, "mallory");
            insert.setString(4, "clash");
            insert.setLong(5, 1);
            return insert.executeUpdate();
          }
        });
    send("general", 5);
    assertEquals(List.of(1L, 10L), rows("general"));
    // the writer goes on, and everything it stored stays readable
    send("general", 9);
    assertEquals(List.of(1L, 19L), rows("general"));
    assertEquals(19, db.messages().lastSeq("general"));

    db.withConnection(
        "remove the clash",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM messages WHERE sender = 'mallory'")) {
            return delete.executeUpdate();
          }
        });
    // tried again once another FOLD_ROWS rows came after the failed one
    send("general", 1);
    assertEquals(List.of(20L, 0L), rows("general"));
    assertEquals(seqs(1, 20), seqsOf(db.messages().page("general", null, null, 50)));
    assertEquals(21, append("general", "alice", "after", null).message().seq());
  }

  /**
   * The room's rows in messages and in recent_messages, once the writer is done with every batch so
   * far: a fold runs after its batch was answered, so an ack does not mean it is over.
   */
  private List<Long> rows(String room) {
    afterTheWriter();
    return List.of(count("messages", room), count("recent_messages", room));
  }

  /** The writer takes batches one at a time: this send to no room is answered after the last. */
  private void afterTheWriter() {
    assertInstanceOf(
        UnknownRoomException.class, append("nowhere", "alice", "sync", null).failure());
  }

  private long count(String table, String room) {
    return db.withConnection(
        "count",
        c -> {
          // table is one of two constants
          try (PreparedStatement query =
              c.prepareStatement("SELECT count(*) FROM " + table + " WHERE room_id = ?")) {
            query.setString(1, room);
            try (ResultSet row = query.executeQuery()) {
              row.next();
              return row.getLong(1);
            }
          }
        });
  }

  private static List<Long> seqs(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  private static List<Long> seqsOf(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }
}
