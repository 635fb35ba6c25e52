package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rooms and their members. Thread-safe; called on worker threads.
 *
 * <p>Members of a private room are who may see it. Members of a public room are the users who
 * joined it; the server decides when someone joins.
 */
public final class RoomStore {
  /** The creator of rooms configured at start. */
  public static final String SYSTEM = "system";

  private static final String COLUMNS = "room_id, name, private, created_by, created_at";
  private static final String INSERT =
      "INSERT INTO rooms (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (room_id) DO NOTHING";
  private static final String FIND = "SELECT " + COLUMNS + " FROM rooms WHERE room_id = ?";
  private static final String VISIBLE =
      "SELECT "
          + COLUMNS
          + " FROM rooms r WHERE r.private = 0 OR EXISTS"
          + " (SELECT 1 FROM room_members m WHERE m.room_id = r.room_id AND m.user_id = ?)"
          + " ORDER BY r.room_id";
  private static final String ALL = "SELECT " + COLUMNS + " FROM rooms ORDER BY room_id";
  private static final String ALL_MEMBERS = "SELECT room_id, user_id FROM room_members";
  private static final String MEMBERS =
      "SELECT user_id FROM room_members WHERE room_id = ? ORDER BY user_id";
  private static final String IS_MEMBER =
      "SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ?";
  private static final String ADD_MEMBER =
      "INSERT INTO room_members (room_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
  private static final String REMOVE_MEMBER =
      "DELETE FROM room_members WHERE room_id = ? AND user_id = ?";

  private final Database db;

  public RoomStore(Database db) {
    this.db = db;
  }

  /**
   * Creates a room whose creator and {@code participants} become members, all in one transaction.
   *
   * @return {@code false} when the room id is taken (nothing changes)
   * @throws StoreException when the creator or a participant is not a registered user
   */
  public boolean create(StoredRoom room, Collection<String> participants) {
    Set<String> members = new LinkedHashSet<>();
    members.add(room.createdBy());
    members.addAll(participants);
    return db.inTransaction(
        "create room",
        c -> {
          if (!insert(c, room)) {
            return false;
          }
          try (PreparedStatement add = c.prepareStatement(ADD_MEMBER)) {
            for (String userId : members) {
              add.setString(1, room.roomId());
              add.setString(2, userId);
              add.addBatch();
            }
            add.executeBatch();
          }
          return true;
        });
  }

  /**
   * Creates a public room owned by {@link #SYSTEM}, named after its id, unless it exists; for the
   * rooms configured at server start.
   *
   * @return whether it was created
   */
  public boolean createIfMissing(String roomId, long createdAt) {
    StoredRoom room = new StoredRoom(roomId, roomId, false, SYSTEM, createdAt);
    return db.withConnection("create room", c -> insert(c, room));
  }

  private static boolean insert(Connection c, StoredRoom room) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setString(1, room.roomId());
      insert.setString(2, room.name());
      insert.setBoolean(3, room.isPrivate());
      insert.setString(4, room.createdBy());
      insert.setLong(5, room.createdAt());
      return insert.executeUpdate() == 1;
    }
  }

  public Optional<StoredRoom> find(String roomId) {
    return db.withConnection(
        "find room",
        c -> {
          try (PreparedStatement find = c.prepareStatement(FIND)) {
            find.setString(1, roomId);
            List<StoredRoom> rooms = rooms(find);
            return rooms.isEmpty() ? Optional.empty() : Optional.of(rooms.get(0));
          }
        });
  }

  /** Every room, by room id: the server keeps them all in memory. */
  public List<StoredRoom> all() {
    return db.withConnection(
        "list all rooms",
        c -> {
          try (PreparedStatement all = c.prepareStatement(ALL)) {
            return rooms(all);
          }
        });
  }

  /** Every membership, room id to member ids, in one query (for loading at start). */
  public java.util.Map<String, List<String>> allMembers() {
    return db.withConnection(
        "list all members",
        c -> {
          java.util.Map<String, List<String>> members = new java.util.HashMap<>();
          try (PreparedStatement all = c.prepareStatement(ALL_MEMBERS);
              ResultSet row = all.executeQuery()) {
            while (row.next()) {
              members
                  .computeIfAbsent(row.getString(1), k -> new ArrayList<>())
                  .add(row.getString(2));
            }
          }
          return members;
        });
  }

  /** Every public room and the private rooms {@code userId} is a member of, by room id. */
  public List<StoredRoom> listVisibleTo(String userId) {
    return db.withConnection(
        "list rooms",
        c -> {
          try (PreparedStatement visible = c.prepareStatement(VISIBLE)) {
            visible.setString(1, userId);
            return rooms(visible);
          }
        });
  }

  private static List<StoredRoom> rooms(PreparedStatement query) throws SQLException {
    List<StoredRoom> rooms = new ArrayList<>();
    try (ResultSet row = query.executeQuery()) {
      while (row.next()) {
        rooms.add(
            new StoredRoom(
                row.getString(1),
                row.getString(2),
                row.getBoolean(3),
                row.getString(4),
                row.getLong(5)));
      }
    }
    return rooms;
  }

  /** The member ids, sorted; empty for an unknown room. */
  public List<String> members(String roomId) {
    return db.withConnection(
        "list members",
        c -> {
          try (PreparedStatement members = c.prepareStatement(MEMBERS)) {
            members.setString(1, roomId);
            List<String> ids = new ArrayList<>();
            try (ResultSet row = members.executeQuery()) {
              while (row.next()) {
                ids.add(row.getString(1));
              }
            }
            return ids;
          }
        });
  }

  public boolean isMember(String roomId, String userId) {
    return db.withConnection(
        "check member",
        c -> {
          try (PreparedStatement isMember = c.prepareStatement(IS_MEMBER)) {
            isMember.setString(1, roomId);
            isMember.setString(2, userId);
            try (ResultSet row = isMember.executeQuery()) {
              return row.next();
            }
          }
        });
  }

  /**
   * Adds a member; idempotent.
   *
   * @return {@code false} when the user already was a member
   * @throws StoreException when the room or the user does not exist
   */
  public boolean addMember(String roomId, String userId) {
    return db.withConnection("add member", c -> memberUpdate(c, ADD_MEMBER, roomId, userId));
  }

  /** Removes a member; {@code false} when the user was not one. */
  public boolean removeMember(String roomId, String userId) {
    return db.withConnection("remove member", c -> memberUpdate(c, REMOVE_MEMBER, roomId, userId));
  }

  private static boolean memberUpdate(Connection c, String sql, String roomId, String userId)
      throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setString(1, roomId);
      update.setString(2, userId);
      return update.executeUpdate() == 1;
    }
  }
}
