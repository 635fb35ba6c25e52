package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.internal.json.MessageJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newest messages kept in memory answer exactly what the SQLite file answers, for every kind of
 * read, while the log writes, within their bounds, and across a load that races the writer.
 */
class NewestMessagesTest {
  @TempDir Path dir;
  Database db;
  MessageLog log;
  NewestMessages newest;
  final AtomicLong time = new AtomicLong(1_000);
  String file = "chat.db";

  @AfterEach
  void close() {
    if (log != null) {
      log.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** A file with rooms general and random, {@code before} messages in general, then the cache. */
  private void open(MessageStore behind, long totalBytes, long roomBytes, int before) {
    if (before > 0) { // written by an earlier run of the server
      openFile();
      MessageLog first = new MessageLog(db, 1_000, 64, time::incrementAndGet);
      first.start();
      send(first, "general", before);
      first.close();
      db.close();
    }
    openFile();
    newest =
        new NewestMessages(
            behind == null ? db.messages() : behind, totalBytes, roomBytes, MessageJson::bytes);
    log = new MessageLog(db, 1_000, 64, time::incrementAndGet);
    log.keepNewest(newest);
    log.start();
  }

  private void openFile() {
    db = Database.open(dir.resolve(file), false);
    db.foldRecentAt(new SqliteBatches.FoldAt(97, Long.MAX_VALUE)); // both tables get rows
    db.rooms().createIfMissing("general", 0);
    db.rooms().createIfMissing("random", 0);
  }

  /** Like open, with the cache in front of a CountingStore in front of the file. */
  private CountingStore openCounted(int before) {
    CountingStore counting = new CountingStore();
    open(counting, 64L << 20, 4L << 20, before);
    counting.behind = db.messages();
    return counting;
  }

  private void open(long totalBytes, long roomBytes, int before) {
    open(null, totalBytes, roomBytes, before);
  }

  private static void send(MessageLog log, String room, int count) {
    List<Ack> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Ack ack = new Ack();
      log.append(room, i % 3 == 0 ? "alice" : "bob", room + " \"" + i + "\" ✓", null, ack);
      acks.add(ack);
    }
    acks.forEach(Ack::message);
  }

  /** Every kind of read, near the top, in the middle and past the ends, against the file. */
  private void assertSameAsFile(String room) {
    MessageStore file = db.messages();
    long last = file.lastSeq(room);
    List<Long> bounds = new ArrayList<>(List.of(0L, 1L, 2L, last - 1, last, last + 1, last + 50));
    for (long b = last; b > 0; b -= Math.max(1, last / 7)) {
      bounds.add(b);
    }
    for (int limit : new int[] {1, 7, 50, 200}) {
      assertEquals(file.page(room, null, null, limit), newest.page(room, null, null, limit));
      for (long b : bounds) {
        if (b < 0) {
          continue;
        }
        String at = room + " at " + b + " limit " + limit;
        assertEquals(file.page(room, b, null, limit), newest.page(room, b, null, limit), at);
        assertEquals(file.page(room, null, b, limit), newest.page(room, null, b, limit), at);
        assertEquals(file.newestAfter(room, b, limit), newest.newestAfter(room, b, limit), at);
        for (long upper : new long[] {b + 3, b + 60, last + 1}) {
          assertEquals(
              file.page(room, upper, b, limit),
              newest.page(room, upper, b, limit),
              at + ".." + upper);
        }
      }
    }
  }

  @Test
  void answersEveryReadAsTheFileDoesWhileTheLogWrites() {
    open(64L << 20, 4L << 20, 1_234);
    assertSameAsFile("general");
    assertSameAsFile("random"); // no messages at all
    send(log, "general", 300);
    send(log, "random", 3);
    assertSameAsFile("general");
    assertSameAsFile("random");
    long[] held = newest.held("general");
    assertNotNull(held);
    assertEquals(1_534, held[1], "what the log committed is held");
  }

  @Test
  void aPageFromMemoryIsWrittenAsTheSameJsonAsTheFileGivesItTheFirstTimeAndAfter() {
    open(64L << 20, 4L << 20, 20); // the tail loads these from the file
    assertEquals(List.of(18L, 19L, 20L), seqs(newest.page("general", null, null, 3)));
    // and the writer hands it these (the service refuses lone surrogates and NUL)
    String[] texts = {
      "plain",
      "quote \" backslash \\ slash /",
      "tab\t new line\n control \u0001 \u001f",
      "é ü ß",
      "中文字",
      "emoji 😀",
      "</script>",
      "\u2028 \u2029",
      "long enough to fill the generator's buffer: ".repeat(60)
    };
    List<Ack> acks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Ack ack = new Ack();
      log.append("general", i % 2 == 0 ? "alice" : "bøb \"q\"", texts[i % texts.length], null, ack);
      acks.add(ack);
    }
    acks.forEach(Ack::message);
    MessageStore file = db.messages();
    for (int round = 0; round < 2; round++) { // the second writes the bytes the first encoded
      assertSameJson(file.page("general", null, null, 50), newest.page("general", null, null, 50));
      assertSameJson(file.page("general", 30L, null, 8), newest.page("general", 30L, null, 8));
      assertSameJson(file.newestAfter("general", 33, 50), newest.newestAfter("general", 33, 50));
      assertSameJson(file.page("random", null, null, 50), newest.page("random", null, null, 50));
    }
  }

  private static void assertSameJson(List<StoredMessage> fromFile, List<StoredMessage> fromMemory) {
    assertTrue(fromMemory instanceof EncodedPage, "answered from memory");
    assertEquals(
        new String(MessageJson.list(fromFile), StandardCharsets.UTF_8),
        new String(MessageJson.list(fromMemory), StandardCharsets.UTF_8));
  }

  /**
   * What an event loop may ask: a page held whole, as page() gives it; else null, never a query.
   */
  @Test
  void aPageInMemoryIsWhatIsHeldOrNullAndNeverAQuery() {
    CountingStore counting = openCounted(0);
    send(log, "general", 2_000);
    assertNull(newest.pageInMemory("general", null, null, 50), "no tail yet");
    assertEquals(0, counting.reads.get());
    newest.page("general", null, null, 50); // loads the newest 50
    int queries = counting.reads.get();
    assertArrayEquals(new long[] {1_951, 2_000}, newest.held("general"));
    MessageStore file = db.messages();
    assertEquals(
        file.page("general", null, null, 50), newest.pageInMemory("general", null, null, 50));
    assertEquals(
        file.page("general", 1_990L, null, 7), newest.pageInMemory("general", 1_990L, null, 7));
    assertEquals(
        file.page("general", 2_000L, 1_960L, 9), newest.pageInMemory("general", 2_000L, 1_960L, 9));
    assertEquals(List.of(), newest.pageInMemory("general", null, 2_000L, 5), "after the newest");
    assertNull(newest.pageInMemory("general", 1_952L, null, 5), "partly below the tail");
    assertNull(newest.pageInMemory("general", 100L, null, 5), "far below it");
    assertNull(newest.pageInMemory("random", null, null, 5));
    assertEquals(queries, counting.reads.get(), "never a query");
    assertArrayEquals(new long[] {1_951, 2_000}, newest.held("general"), "nor an extension");
  }

  @Test
  void aJoinsCatchUpLoadsOnlyWhatItNeedsAndTheNextOnesNeedNoQuery() {
    CountingStore counting = openCounted(0);
    send(log, "general", 1_000);
    List<StoredMessage> missed = newest.newestAfter("general", 997, 500);
    assertEquals(List.of(998L, 999L, 1_000L), seqs(missed));
    assertArrayEquals(new long[] {998, 1_000}, newest.held("general"));
    int queries = counting.reads.get();
    send(log, "general", 5);
    assertEquals(
        List.of(999L, 1_000L, 1_001L, 1_002L, 1_003L, 1_004L, 1_005L),
        seqs(newest.newestAfter("general", 998, 500)));
    assertEquals(List.of(1_005L), seqs(newest.page("general", null, null, 1)));
    assertEquals(List.of(), newest.newestAfter("general", 1_005, 500));
    assertEquals(queries, counting.reads.get(), "answered from memory");
  }

  @Test
  void pagesJustBelowExtendItDownToTheRoomsBound() {
    long roomBytes = 600 * NewestMessages.sizeOf(sample());
    open(64L << 20, roomBytes, 5_000);
    newest.page("general", 4_951L, null, 50);
    long[] held = newest.held("general");
    assertEquals(5_000, held[1]);
    assertTrue(held[0] <= 4_901, "the page read is held: " + held[0]);
    for (long before = held[0]; before > 3_000; before -= 50) {
      newest.page("general", before, null, 50);
    }
    held = newest.held("general");
    assertTrue(held[1] - held[0] + 1 <= 600, "within the room's bound: " + (held[1] - held[0]));
    assertTrue(newest.heldBytes() <= roomBytes);
    assertSameAsFile("general"); // also what lies below the bound, from the file
  }

  @Test
  void theWritersMessagesPushTheOldestOutAtTheRoomsBound() {
    long roomBytes = 100 * NewestMessages.sizeOf(sample());
    open(64L << 20, roomBytes, 50);
    newest.page("general", null, null, 50);
    send(log, "general", 500);
    long[] held = newest.held("general");
    assertEquals(550, held[1]);
    assertTrue(held[0] > 400, "the oldest pushed out: " + held[0]);
    assertTrue(newest.heldBytes() <= roomBytes, "within the bound: " + newest.heldBytes());
    // a page whose oldest message is the one just pushed out comes from the file
    MessageStore file = db.messages();
    assertEquals(
        file.page("general", held[0] + 49, null, 50),
        newest.page("general", held[0] + 49, null, 50));
    assertSameAsFile("general");
  }

  @Test
  void pastTheTotalTheRoomsReadLongestAgoAreDropped() {
    long one = NewestMessages.sizeOf(sample());
    open(250 * one, 100 * one, 0);
    List<String> rooms = List.of("a", "b", "c", "d");
    for (String room : rooms) {
      db.rooms().createIfMissing(room, 0);
      send(log, room, 90);
    }
    for (String room : rooms) {
      newest.page(room, null, null, 90); // each loads 90 messages; the last passes the total
    }
    assertTrue(newest.heldBytes() <= 250 * one, "within the total: " + newest.heldBytes() / one);
    assertNull(newest.held("a"), "read longest ago, dropped");
    assertNotNull(newest.held("d"));
    send(log, "a", 10);
    assertNull(newest.held("a"), "a dropped room is not fed");
    for (String room : rooms) {
      assertSameAsFile(room);
    }
  }

  @Test
  void messagesCommittedWhileATailLoadsAreNeitherLostNorDoubled() throws Exception {
    for (boolean beforeTheQuery : new boolean[] {true, false}) {
      CountingStore gate = openCounted(100);
      gate.holdNextRead(beforeTheQuery);
      CompletableFuture<List<StoredMessage>> first =
          CompletableFuture.supplyAsync(() -> newest.page("general", null, null, 50));
      assertTrue(gate.reading.await(30, TimeUnit.SECONDS), "the load started");
      // committed while the tail loads: before its query runs (so in its rows too) or after
      send(log, "general", 20);
      gate.release.countDown();
      List<StoredMessage> page = first.get(30, TimeUnit.SECONDS);
      assertEquals(120, page.get(page.size() - 1).seq(), "the page is read once the tail is in");
      send(log, "general", 5);
      assertArrayEquals(new long[] {beforeTheQuery ? 71 : 51, 125}, newest.held("general"));
      assertSameAsFile("general");
      close();
      file = "second.db";
    }
  }

  @Test
  void aTailThatMeetsAGapIsDroppedAndLoadsAfresh() {
    open(64L << 20, 4L << 20, 30);
    assertEquals(10, newest.page("general", null, null, 10).size());
    StoredMessage beyond = new StoredMessage("general", 32, "alice", "a seq never stored", 1);
    newest.committed(List.of(new MessageLog.Appended(beyond, null, false)));
    assertNull(newest.held("general"), "never answers around a hole");
    assertEquals(0, newest.heldBytes());
    assertEquals(30, newest.page("general", null, null, 10).get(9).seq());
    assertArrayEquals(new long[] {21, 30}, newest.held("general"));
  }

  @Test
  void aLoadThatFailsLeavesNoTailAndTheNextReadLoadsAgain() {
    CountingStore failing = openCounted(10);
    failing.failNext.set(true);
    StoreException e =
        assertThrows(StoreException.class, () -> newest.page("general", null, null, 5));
    assertEquals("read failed on purpose", e.getMessage());
    assertNull(newest.held("general"));
    assertEquals(5, newest.page("general", null, null, 5).size());
    assertArrayEquals(new long[] {6, 10}, newest.held("general"));
  }

  private static StoredMessage sample() {
    // the smallest message of the rooms the bounds are tested with
    return new StoredMessage("general", 1, "bob", "general \"1000\" ✓", 1);
  }

  private static List<Long> seqs(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }

  /**
   * The file's store, counting the reads that reach it; it can hold one read until released (to
   * interleave a load with the writer) or fail one.
   */
  private static final class CountingStore implements MessageStore {
    volatile MessageStore behind;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicBoolean failNext = new AtomicBoolean();
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean hold = new AtomicBoolean();
    private volatile boolean holdBefore;

    /** Holds the next read before its query runs, or after, before its rows are returned. */
    void holdNextRead(boolean beforeTheQuery) {
      holdBefore = beforeTheQuery;
      hold.set(true);
    }

    private <T> T read(java.util.function.Supplier<T> query) {
      reads.incrementAndGet();
      if (failNext.getAndSet(false)) {
        throw new StoreException("read failed on purpose");
      }
      boolean held = hold.getAndSet(false);
      if (held && holdBefore) {
        await();
      }
      T rows = query.get();
      if (held && !holdBefore) {
        await();
      }
      return rows;
    }

    private void await() {
      reading.countDown();
      try {
        assertTrue(release.await(30, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public List<StoredMessage> page(String roomId, Long before, Long after, int limit) {
      return read(() -> behind.page(roomId, before, after, limit));
    }

    @Override
    public List<StoredMessage> newestAfter(String roomId, long since, int cap) {
      return read(() -> behind.newestAfter(roomId, since, cap));
    }

    @Override
    public long lastSeq(String roomId) {
      return behind.lastSeq(roomId);
    }

    @Override
    public Map<String, Long> lastSeqs() {
      return behind.lastSeqs();
    }
  }
}
