package dev.jchat.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link RoomStore} in SQL both engines run. Thread-safe. */
final class SqlRoomStore implements RoomStore {
  private static final String COLUMNS = "room_id, name, private, created_by, created_at";
  private static final String INSERT =
      "INSERT INTO rooms (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (room_id) DO NOTHING";
  private static final String FIND = "SELECT " + COLUMNS + " FROM rooms WHERE room_id = ?";
  private static final String VISIBLE =
      "SELECT "
          + COLUMNS
          + " FROM rooms r WHERE NOT r.private OR EXISTS"
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

  private final SqlDatabase db;

  SqlRoomStore(SqlDatabase db) {
    this.db = db;
  }

  @Override
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

  @Override
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

  @Override
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

  @Override
  public List<StoredRoom> all() {
    return db.withConnection(
        "list all rooms",
        c -> {
          try (PreparedStatement all = c.prepareStatement(ALL)) {
            return rooms(all);
          }
        });
  }

  @Override
  public Map<String, List<String>> allMembers() {
    return db.withConnection(
        "list all members",
        c -> {
          Map<String, List<String>> members = new HashMap<>();
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

  @Override
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

  @Override
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

  @Override
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

  @Override
  public boolean addMember(String roomId, String userId) {
    return db.withConnection("add member", c -> memberUpdate(c, ADD_MEMBER, roomId, userId));
  }

  @Override
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
