package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreTest {
  @TempDir Path dir;
  Database db;
  MessageStore messages;

  /** general holds seq 1..10 (text "m<seq>", ts 1000 + seq); random holds 1..3. */
  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("chat.db"), false);
    RoomStore rooms = db.rooms();
    rooms.createIfMissing("general", 0);
    rooms.createIfMissing("random", 0);
    long[] clock = {1000};
    try (MessageLog log = new MessageLog(db, 100, 4, () -> ++clock[0])) {
      for (int i = 1; i <= 13; i++) {
        String room = i <= 10 ? "general" : "random";
        log.append(room, "alice", "m" + i, null, new Ack());
      }
    } // close() writes what was queued, on this thread, in order
    messages = db.messages();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void withoutBoundsAPageIsTheNewestMessagesAscending() {
    assertEquals(List.of(8L, 9L, 10L), seqs(messages.page("general", null, null, 3)));
    assertEquals(range(1, 10), seqs(messages.page("general", null, null, 50)));
  }

  @Test
  void beforeGivesTheNewestMessagesBelowIt() {
    assertEquals(List.of(2L, 3L, 4L), seqs(messages.page("general", 5L, null, 3)));
    assertEquals(List.of(1L, 2L), seqs(messages.page("general", 3L, null, 10)));
    assertEquals(List.of(), seqs(messages.page("general", 1L, null, 10)));
  }

  @Test
  void afterGivesTheOldestMessagesAboveIt() {
    assertEquals(List.of(3L, 4L, 5L), seqs(messages.page("general", null, 2L, 3)));
    assertEquals(List.of(8L, 9L, 10L), seqs(messages.page("general", null, 7L, 10)));
    assertEquals(List.of(), seqs(messages.page("general", null, 10L, 10)));
  }

  @Test
  void bothBoundsAreExclusive() {
    assertEquals(List.of(3L, 4L, 5L), seqs(messages.page("general", 6L, 2L, 10)));
    assertEquals(List.of(3L, 4L), seqs(messages.page("general", 6L, 2L, 2)));
  }

  @Test
  void messagesCarryEveryField() {
    assertEquals(
        List.of(new StoredMessage("general", 4, "alice", "m4", 1004)),
        messages.page("general", 5L, 3L, 10));
    assertEquals(
        List.of(new StoredMessage("random", 1, "alice", "m11", 1011)),
        messages.page("random", 2L, null, 10));
  }

  @Test
  void newestAfterCatchesUpWithTheNewestWithinTheCap() {
    assertEquals(List.of(8L, 9L, 10L), seqs(messages.newestAfter("general", 4, 3)));
    assertEquals(List.of(9L, 10L), seqs(messages.newestAfter("general", 8, 10)));
    assertEquals(range(1, 10), seqs(messages.newestAfter("general", 0, 500)));
    assertEquals(List.of(), seqs(messages.newestAfter("general", 10, 5)));
  }

  @Test
  void roomsAreSeparate() {
    assertEquals(range(1, 3), seqs(messages.page("random", null, null, 50)));
    assertEquals(3, messages.lastSeq("random"));
    assertEquals(10, messages.lastSeq("general"));
  }

  @Test
  void unknownRoomsAreEmpty() {
    assertEquals(List.of(), messages.page("nowhere", null, null, 50));
    assertEquals(0, messages.lastSeq("nowhere"));
  }

  @Test
  void theLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> messages.page("general", null, null, 0));
  }

  private static List<Long> seqs(List<StoredMessage> page) {
    return page.stream().map(StoredMessage::seq).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
