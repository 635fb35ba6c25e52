package dev.jchat.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomStoreTest {
  @TempDir Path dir;
  Database db;
  RoomStore rooms;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("chat.db"), false);
    UserStore users = db.users();
    for (String id : List.of("alice", "bob", "carol")) {
      users.create(new User(id, null, null, "h", 0));
    }
    rooms = db.rooms();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theCreatorAndParticipantsBecomeMembers() {
    StoredRoom room = new StoredRoom("plans", "Plans", true, "bob", 10);
    assertTrue(rooms.create(room, List.of("carol", "bob")));
    assertEquals(Optional.of(room), rooms.find("plans"));
    assertEquals(List.of("bob", "carol"), rooms.members("plans"));
    assertTrue(rooms.isMember("plans", "bob"));
    assertFalse(rooms.isMember("plans", "alice"));
  }

  @Test
  void aTakenRoomIdIsAConflictAndChangesNothing() {
    assertTrue(rooms.create(new StoredRoom("plans", "Plans", true, "bob", 10), List.of()));
    assertFalse(
        rooms.create(new StoredRoom("plans", "Other", false, "alice", 20), List.of("carol")));
    assertEquals(
        Optional.of(new StoredRoom("plans", "Plans", true, "bob", 10)), rooms.find("plans"));
    assertEquals(List.of("bob"), rooms.members("plans"));
  }

  @Test
  void anUnknownParticipantFailsTheWholeCreation() {
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                rooms.create(new StoredRoom("plans", "Plans", true, "bob", 10), List.of("nobody")));
    assertTrue(e.getMessage().startsWith("create room: "), e.getMessage());
    assertEquals(Optional.empty(), rooms.find("plans"));
    assertEquals(List.of(), rooms.members("plans"));
  }

  @Test
  void configuredRoomsArePublicSystemRoomsCreatedOnce() {
    assertTrue(rooms.createIfMissing("Room 1", 5));
    assertFalse(rooms.createIfMissing("Room 1", 6));
    assertEquals(
        Optional.of(new StoredRoom("Room 1", "Room 1", false, RoomStore.SYSTEM, 5)),
        rooms.find("Room 1"));
    assertEquals(List.of(), rooms.members("Room 1"));
  }

  @Test
  void usersSeePublicRoomsAndTheirPrivateRooms() {
    rooms.createIfMissing("general", 0);
    rooms.create(new StoredRoom("lobby", "Lobby", false, "carol", 0), List.of());
    rooms.create(new StoredRoom("secret", "Secret", true, "alice", 0), List.of("bob"));
    rooms.create(new StoredRoom("carols", "Carol's", true, "carol", 0), List.of());

    assertEquals(List.of("general", "lobby", "secret"), ids(rooms.listVisibleTo("alice")));
    assertEquals(List.of("general", "lobby", "secret"), ids(rooms.listVisibleTo("bob")));
    assertEquals(List.of("carols", "general", "lobby"), ids(rooms.listVisibleTo("carol")));
    assertEquals(List.of("general", "lobby"), ids(rooms.listVisibleTo("stranger")));
  }

  @Test
  void addingAMemberIsIdempotentAndMakesAPrivateRoomVisible() {
    rooms.create(new StoredRoom("secret", "Secret", true, "alice", 0), List.of());
    assertTrue(rooms.addMember("secret", "carol"));
    assertFalse(rooms.addMember("secret", "carol"));
    assertEquals(List.of("alice", "carol"), rooms.members("secret"));
    assertEquals(List.of("secret"), ids(rooms.listVisibleTo("carol")));
  }

  @Test
  void removingAMemberReportsWhetherTheyWereOne() {
    rooms.create(new StoredRoom("secret", "Secret", true, "alice", 0), List.of("bob"));
    assertTrue(rooms.removeMember("secret", "bob"));
    assertFalse(rooms.removeMember("secret", "bob"));
    assertFalse(rooms.isMember("secret", "bob"));
    assertEquals(List.of(), ids(rooms.listVisibleTo("bob")));
  }

  @Test
  void publicRoomsHaveMembersOnlyOnceTheyJoin() {
    rooms.createIfMissing("general", 0);
    assertFalse(rooms.isMember("general", "alice"));
    assertTrue(rooms.addMember("general", "alice"));
    assertEquals(List.of("alice"), rooms.members("general"));
  }

  @Test
  void membersOfUnknownRoomsCannotBeAdded() {
    assertThrows(StoreException.class, () -> rooms.addMember("nowhere", "alice"));
    assertFalse(rooms.removeMember("nowhere", "alice"));
    assertEquals(Optional.empty(), rooms.find("nowhere"));
  }

  private static List<String> ids(List<StoredRoom> list) {
    return list.stream().map(StoredRoom::roomId).toList();
  }
}
