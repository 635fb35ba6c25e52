package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ChatStore}, run against each engine by a subclass that says how to open a
 * fresh, empty store ({@link #openStore()}) and how to open the same one again ({@link
 * #reopenStore()}). Every test talks to the interface only, so what passes here on SQLite passes on
 * PostgreSQL.
 */
abstract class ChatStoreContract {
  private static final MessageLog.Callback IGNORED =
      new MessageLog.Callback() {
        @Override
        public void stored(StoredMessage message, String ref, boolean duplicate) {}

        @Override
        public void failed(RuntimeException e) {}
      };

  ChatStore store;
  final AtomicLong time = new AtomicLong(1_000);
  final LongSupplier clock = time::incrementAndGet;

  /** A fresh, empty store. */
  abstract ChatStore openStore();

  /** The store last opened, opened again after {@link ChatStore#close()}. */
  abstract ChatStore reopenStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static User user(String id) {
    return new User(id, "Name " + id, id + "@example.com", "hash-" + id, 5);
  }

  private static PendingSend send(String room, String from, String text, String ref) {
    return new PendingSend(room, from, text, ref, IGNORED);
  }

  private static byte[] token(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aUserIsStoredOnceWithEveryField() {
    assertTrue(store.users().create(user("alice")));
    assertFalse(store.users().create(new User("alice", null, null, "other", 9)));
    assertEquals(Optional.of(user("alice")), store.users().find("alice"));
    assertTrue(store.users().exists("alice"));
    assertFalse(store.users().exists("bob"));
    assertEquals(Optional.empty(), store.users().find("bob"));
  }

  @Test
  void nullableUserFieldsComeBackNull() {
    store.users().create(new User("carol", null, null, "h", 1));
    User carol = store.users().find("carol").orElseThrow();
    assertNull(carol.name());
    assertNull(carol.email());
  }

  @Test
  void aPasswordHashCanBeReplaced() {
    store.users().create(user("alice"));
    store.users().updatePasswordHash("alice", "stronger");
    assertEquals("stronger", store.users().find("alice").orElseThrow().passwordHash());
  }

  @Test
  void aUserIsNotDisabledUntilAnOperatorSaysSoAndTheStoreHasNoAdminEventsAtFirst() {
    store.users().create(user("alice"));
    assertFalse(store.users().isDisabled("alice"));
    assertFalse(store.users().isDisabled("nobody"));
    assertEquals(0, store.adminEvents().lastId());
    assertTrue(store.adminEvents().after(0).isEmpty());
  }

  @Test
  void aSessionIsFoundUntilItExpires() {
    store.users().create(user("alice"));
    store.sessions().create(token("t1"), "alice", 100, 200);
    assertEquals(
        Optional.of(new SessionStore.Found("alice", 200)), store.sessions().find(token("t1"), 199));
    assertEquals(Optional.of("alice"), store.sessions().userFor(token("t1"), 150));
    assertEquals(Optional.empty(), store.sessions().find(token("t1"), 200));
    assertEquals(Optional.empty(), store.sessions().find(token("t2"), 0));
  }

  @Test
  void aSessionOfAnUnknownUserIsRefused() {
    assertThrows(StoreException.class, () -> store.sessions().create(token("t"), "nobody", 1, 2));
  }

  @Test
  void sessionsBeyondTheNewestAreEndedOldestFirst() {
    store.users().create(user("alice"));
    for (int i = 1; i <= 5; i++) {
      store.sessions().create(token("t" + i), "alice", i, 1_000);
    }
    List<byte[]> ended = store.sessions().keepNewest("alice", 3);
    assertEquals(2, ended.size());
    assertArrayEquals(token("t2"), ended.get(0));
    assertArrayEquals(token("t1"), ended.get(1));
    assertTrue(store.sessions().find(token("t3"), 0).isPresent());
    assertTrue(store.sessions().find(token("t1"), 0).isEmpty());
    assertTrue(store.sessions().keepNewest("alice", 3).isEmpty());
  }

  @Test
  void sessionsCanBeDeletedAndPurged() {
    store.users().create(user("alice"));
    store.sessions().create(token("a"), "alice", 1, 10);
    store.sessions().create(token("b"), "alice", 1, 20);
    store.sessions().create(token("c"), "alice", 1, 30);
    assertTrue(store.sessions().delete(token("c")));
    assertFalse(store.sessions().delete(token("c")));
    assertEquals(1, store.sessions().purgeExpired(10));
    assertTrue(store.sessions().find(token("b"), 0).isPresent());
  }

  @Test
  void aRoomIsCreatedWithItsMembersInOneStep() {
    store.users().create(user("alice"));
    store.users().create(user("bob"));
    StoredRoom secret = new StoredRoom("secret", "Secret", true, "alice", 7);
    assertTrue(store.rooms().create(secret, List.of("bob")));
    assertFalse(store.rooms().create(new StoredRoom("secret", "x", false, "bob", 8), List.of()));
    assertEquals(Optional.of(secret), store.rooms().find("secret"));
    assertEquals(List.of("alice", "bob"), store.rooms().members("secret"));
    assertEquals(Map.of("secret", List.of("alice", "bob")), sorted(store.rooms().allMembers()));
  }

  @Test
  void aRoomWithAnUnknownMemberIsNotCreated() {
    store.users().create(user("alice"));
    StoredRoom room = new StoredRoom("r", "R", true, "alice", 1);
    assertThrows(StoreException.class, () -> store.rooms().create(room, List.of("ghost")));
    assertEquals(Optional.empty(), store.rooms().find("r"));
  }

  @Test
  void privateRoomsAreVisibleToTheirMembersOnly() {
    store.users().create(user("alice"));
    store.users().create(user("bob"));
    store.rooms().createIfMissing("general", 1);
    assertFalse(store.rooms().createIfMissing("general", 2));
    store.rooms().create(new StoredRoom("secret", "Secret", true, "alice", 3), List.of());
    assertEquals(List.of("general", "secret"), ids(store.rooms().listVisibleTo("alice")));
    assertEquals(List.of("general"), ids(store.rooms().listVisibleTo("bob")));
    assertEquals(List.of("general", "secret"), ids(store.rooms().all()));
    assertEquals(RoomStore.SYSTEM, store.rooms().find("general").orElseThrow().createdBy());
  }

  /**
   * Ids sort by their characters' codes, SQLite's BINARY order, on both stores: on a PostgreSQL
   * database with a linguistic collation (en_US, as most are) {@code apple} would otherwise come
   * before {@code Zebra}.
   */
  @Test
  void roomsAndMembersAreListedInTheOrderOfTheirIdsCharacterCodes() {
    List<String> ids = List.of("Zebra", "_under", "a-b", "a.c", "ab", "apple");
    for (String id : ids) {
      store.users().create(user(id));
      store.rooms().createIfMissing(id, 1);
    }
    store.rooms().create(new StoredRoom("room 1", "R", true, "apple", 2), ids);
    List<String> expected = ids.stream().sorted().toList();
    assertEquals(expected, ids); // written in order: the code order, stated
    assertEquals(
        List.of("Zebra", "_under", "a-b", "a.c", "ab", "apple", "room 1"),
        ids(store.rooms().all()));
    assertEquals(ids(store.rooms().all()), ids(store.rooms().listVisibleTo("apple")));
    assertEquals(ids, store.rooms().members("room 1"));
  }

  @Test
  void membersAreAddedAndRemovedIdempotently() {
    store.users().create(user("alice"));
    store.rooms().createIfMissing("general", 1);
    assertTrue(store.rooms().addMember("general", "alice"));
    assertFalse(store.rooms().addMember("general", "alice"));
    assertTrue(store.rooms().isMember("general", "alice"));
    assertTrue(store.rooms().removeMember("general", "alice"));
    assertFalse(store.rooms().removeMember("general", "alice"));
    assertFalse(store.rooms().isMember("general", "alice"));
    assertThrows(StoreException.class, () -> store.rooms().addMember("nowhere", "alice"));
  }

  @Test
  void aBatchGetsGapFreeSeqsPerRoomInOrder() {
    store.rooms().createIfMissing("a", 1);
    store.rooms().createIfMissing("b", 1);
    List<MessageBatches.Outcome> outcomes;
    try (MessageBatches batches = store.openBatches()) {
      outcomes =
          batches.write(
              List.of(
                  send("a", "u", "1", null),
                  send("b", "u", "2", null),
                  send("a", "u", "3", null),
                  send("a", "v", "4", null)),
              clock);
      assertEquals(List.of(1L, 1L, 2L, 3L), seqs(outcomes));
      assertEquals(
          List.of(4L, 2L),
          seqs(
              batches.write(List.of(send("a", "u", "5", null), send("b", "u", "6", null)), clock)));
    }
    assertEquals(4, store.messages().lastSeq("a"));
    assertEquals(2, store.messages().lastSeq("b"));
    assertEquals(0, store.messages().lastSeq("nowhere"));
    assertEquals(java.util.Map.of("a", 4L, "b", 2L), store.messages().lastSeqs());
    assertEquals(List.of("1", "3", "4", "5"), texts(store.messages().page("a", null, null, 10)));
  }

  @Test
  void aSendToAnUnknownRoomFailsAloneAndUsesNoSeq() {
    store.rooms().createIfMissing("a", 1);
    try (MessageBatches batches = store.openBatches()) {
      List<MessageBatches.Outcome> outcomes =
          batches.write(
              List.of(
                  send("a", "u", "1", null),
                  send("nowhere", "u", "x", null),
                  send("a", "u", "2", null)),
              clock);
      assertInstanceOf(UnknownRoomException.class, outcomes.get(1).failure());
      assertEquals(1, outcomes.get(0).appended().message().seq());
      assertEquals(2, outcomes.get(2).appended().message().seq());
    }
  }

  @Test
  void aRepeatedRefIsAnsweredWithTheOriginalWithinAndAcrossBatches() {
    store.rooms().createIfMissing("a", 1);
    try (MessageBatches batches = store.openBatches()) {
      List<MessageBatches.Outcome> first =
          batches.write(
              List.of(
                  send("a", "alice", "hello", "r1"),
                  send("a", "alice", "hello again", "r1"),
                  send("a", "bob", "same ref, other sender", "r1")),
              clock);
      StoredMessage original = first.get(0).appended().message();
      assertFalse(first.get(0).appended().duplicate());
      assertTrue(first.get(1).appended().duplicate());
      assertEquals(original, first.get(1).appended().message());
      assertEquals(2, first.get(2).appended().message().seq());

      List<MessageBatches.Outcome> second =
          batches.write(
              List.of(send("a", "alice", "late", "r1"), send("a", "alice", "n", "r2")), clock);
      assertTrue(second.get(0).appended().duplicate());
      assertEquals(original, second.get(0).appended().message());
      assertEquals(3, second.get(1).appended().message().seq());
    }
    assertEquals(3, store.messages().lastSeq("a"));
  }

  @Test
  void historyPagesAreAscendingWithinTheirBounds() {
    store.rooms().createIfMissing("a", 1);
    List<PendingSend> sends = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      sends.add(send("a", "u", "m" + i, null));
    }
    try (MessageBatches batches = store.openBatches()) {
      batches.write(sends, clock);
    }
    MessageStore messages = store.messages();
    assertEquals(List.of(8L, 9L, 10L), seqsOf(messages.page("a", null, null, 3)));
    assertEquals(List.of(5L, 6L, 7L), seqsOf(messages.page("a", 8L, null, 3)));
    assertEquals(List.of(3L, 4L), seqsOf(messages.page("a", 5L, 2L, 10)));
    assertEquals(List.of(9L, 10L), seqsOf(messages.newestAfter("a", 4, 2)));
    assertEquals(List.of(), seqsOf(messages.newestAfter("a", 10, 5)));
    StoredMessage first = messages.page("a", null, 0L, 1).get(0);
    assertEquals(new StoredMessage("a", 1, "u", "m1", first.ts()), first);
  }

  @Test
  void everythingSurvivesReopeningAndSeqsContinue() {
    store.users().create(user("alice"));
    store.rooms().createIfMissing("a", 1);
    try (MessageBatches batches = store.openBatches()) {
      batches.write(List.of(send("a", "alice", "before", "r1")), clock);
    }
    store.close();
    store = reopenStore();
    assertTrue(store.users().exists("alice"));
    assertEquals(1, store.messages().lastSeq("a"));
    try (MessageBatches batches = store.openBatches()) {
      List<MessageBatches.Outcome> after =
          batches.write(
              List.of(send("a", "alice", "again", "r1"), send("a", "alice", "x", null)), clock);
      assertTrue(after.get(0).appended().duplicate());
      assertEquals("before", after.get(0).appended().message().text());
      assertEquals(2, after.get(1).appended().message().seq());
    }
  }

  @Test
  void theBatchWriterIsHandedOutOnce() {
    MessageBatches batches = store.openBatches();
    try {
      assertThrows(IllegalStateException.class, store::openBatches);
    } finally {
      batches.close();
    }
  }

  @Test
  void aHealthyStoreSaysSo() {
    assertTrue(store.health().check().ok());
    assertFalse(store.describe().isBlank());
  }

  private static List<Long> seqs(List<MessageBatches.Outcome> outcomes) {
    return outcomes.stream().map(o -> o.appended().message().seq()).toList();
  }

  private static List<Long> seqsOf(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }

  private static List<String> texts(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::text).toList();
  }

  private static List<String> ids(List<StoredRoom> rooms) {
    return rooms.stream().map(StoredRoom::roomId).toList();
  }

  private static Map<String, List<String>> sorted(Map<String, List<String>> members) {
    Map<String, List<String>> sorted = new java.util.TreeMap<>();
    members.forEach((room, ids) -> sorted.put(room, ids.stream().sorted().toList()));
    return sorted;
  }
}
