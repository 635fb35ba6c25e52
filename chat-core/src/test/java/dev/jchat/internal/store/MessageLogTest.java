package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageLogTest {
  @TempDir Path dir;
  Database db;
  RoomStore rooms;
  MessageLog log;
  final AtomicLong time = new AtomicLong(1_000);
  final LongSupplier clock = time::incrementAndGet;
  final List<List<MessageLog.Appended>> batches = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    openDatabase();
    rooms.createIfMissing("general", 0);
    rooms.createIfMissing("random", 0);
  }

  @AfterEach
  void close() {
    log.close();
    db.close();
  }

  private void openDatabase() {
    db = Database.open(dir.resolve("chat.db"), false);
    // folds every 100 rows, so that the tests with more messages run across folds
    db.foldRecentAt(new SqliteBatches.FoldAt(100, Long.MAX_VALUE));
    rooms = db.rooms();
    log = new MessageLog(db, 10_000, 256, clock);
    log.setBatchListener(batches::add);
  }

  private void reopen() {
    log.close();
    db.close();
    openDatabase();
    log.start();
  }

  private Ack append(String room, String user, String text, String ref) {
    Ack ack = new Ack();
    log.append(room, user, text, ref, ack);
    return ack;
  }

  @Test
  void seqStartsAtOnePerRoomWithoutGapsUnderConcurrentAppends() throws InterruptedException {
    log.start();
    int threads = 4;
    int perThread = 500;
    Map<String, Ack> acks = new ConcurrentHashMap<>();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String user = "user" + t;
      senders.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  String text = user + "/" + i;
                  acks.put(text, append(i % 2 == 0 ? "general" : "random", user, text, null));
                }
              }));
    }
    senders.forEach(Thread::start);
    for (Thread sender : senders) {
      sender.join();
    }

    Map<String, List<Long>> seqsByRoom = new HashMap<>();
    for (Map.Entry<String, Ack> entry : acks.entrySet()) {
      StoredMessage message = entry.getValue().message();
      assertEquals(entry.getKey(), message.text());
      seqsByRoom.computeIfAbsent(message.roomId(), r -> new ArrayList<>()).add(message.seq());
    }
    int perRoom = threads * perThread / 2;
    for (String room : List.of("general", "random")) {
      List<Long> seqs = seqsByRoom.get(room);
      seqs.sort(null);
      assertEquals(oneTo(perRoom), seqs, room);
      assertEquals(oneTo(perRoom), storedSeqs(room), room);
      assertEquals(perRoom, log.lastSeq(room));
      // every stored row is the message its sender was told about
      for (StoredMessage stored : db.messages().page(room, null, null, 200)) {
        assertEquals(stored, acks.get(stored.text()).message());
      }
    }
    assertListenerSawEveryMessageInSeqOrder(threads * perThread);
  }

  private void assertListenerSawEveryMessageInSeqOrder(int total) {
    log.close(); // the listener runs after the callbacks; close() waits for the writer
    Map<String, Long> last = new HashMap<>();
    int count = 0;
    for (List<MessageLog.Appended> batch : batches) {
      for (MessageLog.Appended appended : batch) {
        StoredMessage m = appended.message();
        assertEquals(last.getOrDefault(m.roomId(), 0L) + 1, m.seq());
        last.put(m.roomId(), m.seq());
        count++;
      }
    }
    assertEquals(total, count);
  }

  @Test
  void storesWriteBesideTheLogWithoutBusyErrors() throws InterruptedException {
    // Pool connections and the log's connection both take SQLite's write lock; busy_timeout
    // and BEGIN IMMEDIATE must make them wait for each other instead of failing.
    log.start();
    UserStore users = db.users();
    List<Ack> acks = new CopyOnWriteArrayList<>();
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < 2_000; i++) {
                acks.add(append("general", "bot", "m" + i, null));
              }
            });
    sender.start();
    for (int i = 0; i < 100; i++) {
      String user = "user" + i;
      assertTrue(users.create(new User(user, null, null, "h", 0)));
      assertTrue(rooms.create(new StoredRoom("room" + i, "Room", true, user, 0), List.of()));
      assertTrue(rooms.addMember("general", user));
    }
    sender.join();
    acks.forEach(Ack::message);
    assertEquals(oneTo(2_000), storedSeqs("general"));
  }

  @Test
  void anAckComesOnlyAfterTheCommit() {
    MessageStore reader = db.messages();
    List<String> problems = new CopyOnWriteArrayList<>();
    List<Ack> acks = new ArrayList<>();
    log.start();
    for (int i = 0; i < 50; i++) {
      Ack ack = new Ack();
      acks.add(ack);
      log.append(
          "general",
          "alice",
          "hello " + i,
          null,
          new MessageLog.Callback() {
            @Override
            public void stored(StoredMessage message, String ref, boolean duplicate) {
              // another connection, so only committed rows are visible to it
              List<StoredMessage> page = reader.page("general", message.seq() + 1, null, 1);
              if (!page.equals(List.of(message))) {
                problems.add("seq " + message.seq() + " not readable in its callback: " + page);
              }
              if (log.lastSeq("general") < message.seq()) {
                problems.add("lastSeq behind seq " + message.seq());
              }
              ack.stored(message, ref, duplicate);
            }

            @Override
            public void failed(RuntimeException e) {
              ack.failed(e);
            }
          });
    }
    acks.forEach(Ack::message);
    assertEquals(List.of(), problems);
  }

  @Test
  void aRepeatedRefIsAnsweredWithTheOriginalAndStoredOnce() {
    log.start();
    StoredMessage original = append("general", "alice", "hi", "c-1").message();
    Ack repeat = append("general", "alice", "hi again", "c-1");
    assertTrue(repeat.duplicate());
    assertEquals(original, repeat.message());
    assertEquals("c-1", repeat.ref());
    assertEquals(1, count("general"));
    // the repeat gave its seq back
    assertEquals(2, append("general", "alice", "next", null).message().seq());
  }

  @Test
  void refsArePerSender() {
    log.start();
    Ack alice = append("general", "alice", "hi", "c-1");
    Ack bob = append("general", "bob", "hi", "c-1");
    assertFalse(bob.duplicate());
    assertEquals(alice.message().seq() + 1, bob.message().seq());
  }

  @Test
  void aRefRepeatedInOneBatchIsStoredOnce() {
    // queued before start, so the writer takes all three in its first batch
    Ack first = append("general", "alice", "one", "r");
    Ack repeat = append("general", "alice", "one, again", "r");
    Ack other = append("general", "alice", "two", null);
    log.start();

    assertEquals(new StoredMessage("general", 1, "alice", "one", 1_001), first.message());
    assertTrue(repeat.duplicate());
    assertEquals(first.message(), repeat.message());
    assertEquals(2, other.message().seq());
    assertEquals(List.of(1L, 2L), storedSeqs("general"));
    log.close(); // waits for the listener
    assertEquals(1, batches.size());
    assertEquals(
        List.of(false, true, false),
        batches.get(0).stream().map(MessageLog.Appended::duplicate).toList());
  }

  @Test
  void aRefIsRememberedAcrossRestarts() {
    log.start();
    StoredMessage original = append("general", "alice", "hi", "c-1").message();
    reopen();
    Ack repeat = append("random", "alice", "hi", "c-1");
    assertTrue(repeat.duplicate());
    assertEquals(original, repeat.message());
    assertEquals(1, count("general"));
    assertEquals(0, count("random"));
  }

  @Test
  void seqContinuesAfterReopen() {
    log.start();
    for (int i = 0; i < 5; i++) {
      append("general", "alice", "m" + i, null).message();
    }
    reopen();
    assertEquals(5, log.lastSeq("general"));
    assertEquals(6, append("general", "alice", "again", null).message().seq());
    assertEquals(1, append("random", "alice", "first", null).message().seq());
  }

  @Test
  void anUnknownRoomFailsOnlyThatAppend() {
    Ack before = append("general", "alice", "a", null);
    Ack lost = append("nowhere", "alice", "b", null);
    Ack after = append("general", "alice", "c", null);
    log.start();

    assertEquals(1, before.message().seq());
    UnknownRoomException e = assertInstanceOf(UnknownRoomException.class, lost.failure());
    assertEquals("nowhere", e.roomId());
    assertEquals("no room 'nowhere'", e.getMessage());
    assertEquals(2, after.message().seq());
    log.close(); // waits for the listener
    assertEquals(1, batches.size());
    assertEquals(2, batches.get(0).size());
  }

  @Test
  void roomsCreatedAtRuntimeStartAtOne() {
    log.start();
    assertInstanceOf(UnknownRoomException.class, append("later", "alice", "a", null).failure());
    assertEquals(0, log.lastSeq("later"));
    rooms.createIfMissing("later", 0);
    assertEquals(1, append("later", "alice", "b", null).message().seq());
    assertEquals(1, log.lastSeq("later"));
  }

  @Test
  void aFailedBatchIsRolledBackWithoutLeavingAGap() {
    DatabaseTest.execute(
        db,
        "CREATE TRIGGER refuse BEFORE INSERT ON recent_messages WHEN NEW.text = 'boom'"
            + " BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
    List<Ack> doomed =
        List.of(
            append("general", "alice", "fine", null),
            append("general", "alice", "boom", null),
            append("random", "alice", "fine too", null));
    log.start();

    for (Ack ack : doomed) {
      StoreException e = assertInstanceOf(StoreException.class, ack.failure());
      assertTrue(e.getMessage().startsWith("append message: "), e.getMessage());
    }
    assertEquals(0, count("general"));
    assertEquals(1, append("general", "alice", "after", null).message().seq());
    assertEquals(1, append("random", "alice", "after", null).message().seq());
    log.close();
    assertEquals(2, batches.size()); // the failed batch was never announced
  }

  @Test
  void throwingCallbacksAndListenersDoNotStopTheWriter() {
    log.close();
    db.close();
    db = Database.open(dir.resolve("chat.db"), false);
    log = new MessageLog(db, 100, 16, clock);
    log.setBatchListener(
        batch -> {
          throw new IllegalStateException("listener fails on purpose");
        });
    log.start();
    log.append(
        "general",
        "alice",
        "one",
        null,
        new MessageLog.Callback() {
          @Override
          public void stored(StoredMessage message, String ref, boolean duplicate) {
            throw new IllegalStateException("callback fails on purpose");
          }

          @Override
          public void failed(RuntimeException e) {}
        });
    assertEquals(2, append("general", "alice", "two", null).message().seq());
  }

  @Test
  void aCallbackMayAppendOnTheWriterThread() {
    Ack reply = new Ack();
    log.start();
    log.append(
        "general",
        "alice",
        "ping",
        null,
        new MessageLog.Callback() {
          @Override
          public void stored(StoredMessage message, String ref, boolean duplicate) {
            log.append("general", "bot", "pong to " + message.seq(), null, reply);
          }

          @Override
          public void failed(RuntimeException e) {
            reply.failed(e);
          }
        });
    assertEquals(new StoredMessage("general", 2, "bot", "pong to 1", 1_002), reply.message());
  }

  @Test
  void closeCommitsEverythingQueued() {
    List<Ack> acks = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      acks.add(append(i % 2 == 0 ? "general" : "random", "alice", "m" + i, null));
    }
    log.start();
    log.close();
    assertTrue(acks.stream().allMatch(Ack::isDone));
    acks.forEach(Ack::message);
    assertEquals(500, count("general"));
    assertEquals(500, count("random"));
    assertEquals(500, log.lastSeq("random"));
  }

  @Test
  void closeBeforeStartCommitsOnTheClosingThread() {
    Ack ack = append("general", "alice", "early", null);
    log.close();
    assertTrue(ack.isDone());
    assertEquals(1, ack.message().seq());
  }

  @Test
  void appendsAfterCloseFailAtOnce() {
    log.start();
    log.close();
    log.close(); // idempotent
    Ack late = append("general", "alice", "late", null);
    assertTrue(late.isDone());
    assertEquals("message log is closed", late.failure().getMessage());
    assertEquals(0, count("general"));
  }

  @Test
  void aFullQueueFailsTheAppendAfterTheBoundedWait() {
    log.close();
    db.close();
    db = Database.open(dir.resolve("chat.db"), false);
    log = new MessageLog(db, 1, 16, clock, Duration.ofMillis(1));
    Ack queued = append("general", "alice", "fits", null);
    Ack refused = append("general", "alice", "does not fit", null);
    assertTrue(refused.isDone());
    assertEquals("message log is overloaded", refused.failure().getMessage());
    log.start();
    assertEquals(1, queued.message().seq());
  }

  @Test
  void lastSeqOfAnUnknownRoomIsZero() {
    assertEquals(0, log.lastSeq("nowhere"));
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  private List<Long> storedSeqs(String room) {
    return db.withConnection(
        "test read",
        c -> {
          List<Long> seqs = new ArrayList<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT seq FROM messages WHERE room_id = ?1"
                      + " UNION ALL SELECT seq FROM recent_messages WHERE room_id = ?1"
                      + " ORDER BY seq")) {
            query.setString(1, room);
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                seqs.add(row.getLong(1));
              }
            }
          }
          return seqs;
        });
  }

  private int count(String room) {
    return storedSeqs(room).size();
  }
}
