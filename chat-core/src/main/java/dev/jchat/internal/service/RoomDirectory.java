package dev.jchat.internal.service;

import dev.jchat.internal.room.Room;
import dev.jchat.internal.store.MessageLog;
import dev.jchat.internal.store.MessageStore;
import dev.jchat.internal.store.RoomStore;
import dev.jchat.internal.store.StoredMessage;
import dev.jchat.internal.store.StoredRoom;
import dev.jchat.internal.store.UserStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The rooms and their rules: who may see, join, read and change them. Keeps every room's live state
 * in memory (loaded at start) and the database in step. JDBC: worker threads only. Thread-safe.
 *
 * <p>A private room is invisible to non-members: every call about it answers them 404, as if it did
 * not exist. Joining a public room (socket {@code join}) makes the user a member.
 *
 * <p>On a store other servers write to as well (PostgreSQL: several nodes, or another server on the
 * same database), they create rooms and write messages too: a room this node does not know yet is
 * loaded from the store when asked for ({@link #visible}, {@link #loadRoom}), and a room's last seq
 * is read from the store, never from what this node committed.
 */
public final class RoomDirectory {
  public static final int DEFAULT_PAGE = 50;
  public static final int MAX_PAGE = 200;
  public static final int DEFAULT_ROOM_PAGE = 200;
  public static final int MAX_ROOM_PAGE = 1000;

  private final RoomStore store;
  private final UserStore users;
  private final MessageStore messages;
  private final MessageLog log;
  private final LongSupplier clock;
  private final MembershipChanges changes;
  private final RateLimiter creations;
  private final LimitCounters limits;
  private final Room.LocalPresence presence;
  private final Consumer<Room> loadedLater; // null on a single node
  // sorted by id, so that the room list pages with an id cursor
  private final ConcurrentSkipListMap<String, Room> rooms = new ConcurrentSkipListMap<>();

  public RoomDirectory(
      RoomStore store,
      UserStore users,
      MessageStore messages,
      MessageLog log,
      LongSupplier clock,
      MembershipChanges changes,
      RateLimiter creations,
      LimitCounters limits,
      Room.LocalPresence presence,
      Consumer<Room> loadedLater) {
    this.store = store;
    this.users = users;
    this.messages = messages;
    this.log = log;
    this.clock = clock;
    this.changes = changes;
    this.creations = creations;
    this.limits = limits;
    this.presence = presence;
    this.loadedLater = loadedLater;
  }

  /** A directory for one node alone, which nothing else writes to. */
  public RoomDirectory(
      RoomStore store,
      UserStore users,
      MessageStore messages,
      MessageLog log,
      LongSupplier clock,
      MembershipChanges changes,
      RateLimiter creations,
      LimitCounters limits) {
    this(
        store,
        users,
        messages,
        log,
        clock,
        changes,
        creations,
        limits,
        Room.LocalPresence.NONE,
        null);
  }

  /** Loads every stored room and creates the configured public ones that are missing. */
  public void load(List<String> configuredRooms) {
    for (String id : configuredRooms) {
      Validation.requireRoomId(id);
      store.createIfMissing(id, clock.getAsLong());
    }
    var members = store.allMembers();
    for (var r : store.all()) {
      long lastSeq = log.lastSeq(r.roomId());
      log.knownRoom(r.roomId(), lastSeq);
      Room room = newRoom(r, lastSeq);
      room.members().addAll(members.getOrDefault(r.roomId(), List.of()));
      rooms.put(room.id(), room);
    }
  }

  private Room newRoom(StoredRoom r, long lastSeq) {
    return new Room(
        r.roomId(), r.name(), r.isPrivate(), r.createdBy(), r.createdAt(), lastSeq, presence);
  }

  /** The room if this node knows it; no store access, so any thread. */
  public Optional<Room> find(String roomId) {
    return roomId == null ? Optional.empty() : Optional.ofNullable(rooms.get(roomId));
  }

  /** Every room this node knows. */
  public Collection<Room> all() {
    return rooms.values();
  }

  /**
   * Several nodes: the room as the store has it now, made known here (another node created it).
   * Returns the room already known if there is one; null when the store has none. Worker threads.
   */
  public Room loadRoom(String roomId) {
    Room known = rooms.get(roomId);
    if (known != null || loadedLater == null || !Validation.isRoomId(roomId)) {
      return known;
    }
    StoredRoom stored = store.find(roomId).orElse(null);
    if (stored == null) {
      return null;
    }
    // the seq first: what is committed after it reaches the room through the feed
    Room room = newRoom(stored, messages.lastSeq(roomId));
    room.members().addAll(store.members(roomId));
    Room raced = rooms.putIfAbsent(roomId, room);
    if (raced != null) {
      return raced;
    }
    loadedLater.accept(room);
    return room;
  }

  /** The room if this user may see it; 404 otherwise (private rooms hide from non-members). */
  public Room visible(String userId, String roomId) {
    Room room = rooms.get(roomId);
    if (room == null && loadedLater != null && roomId != null) {
      room = loadRoom(roomId);
    }
    if (room == null || !room.admits(userId)) {
      throw ApiError.notFound("no room '" + roomId + "'");
    }
    return room;
  }

  /** One page of the rooms a user can see, by id; {@code next} is null after the last page. */
  public record RoomPage(List<RoomInfo> rooms, String next) {}

  /**
   * The rooms this user can see with an id after {@code after} (from the start when null), at most
   * {@code limit} (default {@value #DEFAULT_ROOM_PAGE}, at most {@value #MAX_ROOM_PAGE}).
   */
  public RoomPage list(String userId, String after, Integer limit) {
    int n = limit == null ? DEFAULT_ROOM_PAGE : limit;
    if (n < 1 || n > MAX_ROOM_PAGE) {
      throw ApiError.badRequest("limit must be 1 to " + MAX_ROOM_PAGE);
    }
    List<RoomInfo> out = new ArrayList<>();
    var from = after == null ? rooms : rooms.tailMap(after, false);
    for (Room room : from.values()) {
      if (!room.admits(userId)) {
        continue;
      }
      if (out.size() == n) {
        return new RoomPage(out, out.get(n - 1).roomId());
      }
      out.add(info(room, false));
    }
    return new RoomPage(out, null);
  }

  public RoomInfo describe(String userId, String roomId) {
    return info(visible(userId, roomId), true);
  }

  public String create(
      String userId, String roomId, String name, boolean isPrivate, List<String> participants) {
    Validation.requireRoomId(roomId);
    if (name != null && name.length() > Validation.MAX_NAME) {
      throw ApiError.badRequest("name must be at most " + Validation.MAX_NAME + " characters");
    }
    Validation.requireWellFormed(name, "name");
    Set<String> members = new LinkedHashSet<>();
    members.add(userId);
    for (String p : participants == null ? List.<String>of() : participants) {
      if (!Validation.isUserId(p)) {
        throw ApiError.badRequest("participant '" + p + "' is not a valid user id");
      }
      members.add(p);
    }
    if (members.size() > 1000) {
      throw ApiError.badRequest("at most 1000 participants");
    }
    if (rooms.containsKey(roomId)) {
      throw ApiError.conflict("room '" + roomId + "' already exists");
    }
    long wait = creations.acquire(userId);
    if (wait > 0) {
      limits.tripped("rooms");
      throw ApiError.rateLimited("you created too many rooms lately; try again later", wait);
    }
    for (String p : members) {
      if (!p.equals(userId) && !users.exists(p)) {
        throw ApiError.notFound("no user '" + p + "'");
      }
    }
    long now = clock.getAsLong();
    String shown = name == null || name.isBlank() ? roomId : name;
    synchronized (this) { // the check-then-create of the in-memory map must not race
      var stored = new StoredRoom(roomId, shown, isPrivate, userId, now);
      if (!store.create(stored, members)) {
        throw ApiError.conflict("room '" + roomId + "' already exists");
      }
      log.knownRoom(roomId, 0);
      Room room = newRoom(stored, 0);
      room.members().addAll(members);
      rooms.put(roomId, room);
    }
    changes.created(rooms.get(roomId));
    for (String p : members) {
      if (!p.equals(userId)) {
        changes.added(rooms.get(roomId), p, userId);
      }
    }
    return roomId;
  }

  /** Adds a member: to a private room only by a member; to a public room by anyone signed in. */
  public void addMember(String actor, String roomId, String userId) {
    Room room = visible(actor, roomId);
    if (!Validation.isUserId(userId) || !users.exists(userId)) {
      throw ApiError.notFound("no user '" + userId + "'");
    }
    if (room.isMember(userId)) {
      return;
    }
    store.addMember(roomId, userId);
    room.members().add(userId);
    changes.added(room, userId, actor);
  }

  /** Removes a member: anyone may remove themselves; others only the room's creator may remove. */
  public void removeMember(String actor, String roomId, String userId) {
    Room room = visible(actor, roomId);
    if (!actor.equals(userId) && !actor.equals(room.createdBy())) {
      throw ApiError.forbidden("only the room's creator can remove other members");
    }
    if (!room.isMember(userId)) {
      throw ApiError.notFound("'" + userId + "' is not a member of '" + roomId + "'");
    }
    store.removeMember(roomId, userId);
    changes.removed(room, userId, actor);
  }

  /** Checks that the user may join and makes them a member of a public room. */
  public Room join(String userId, String roomId) {
    Room room = visible(userId, roomId);
    if (!room.isMember(userId)) {
      store.addMember(roomId, userId);
      room.members().add(userId);
      changes.joined(room, userId);
    }
    return room;
  }

  /** The room's last committed seq: every message up to it can be read. Worker threads. */
  public long lastSeq(String roomId) {
    return loadedLater != null ? messages.lastSeq(roomId) : log.lastSeq(roomId);
  }

  /** One page of history, ascending by seq; {@code before} and {@code after} are exclusive. */
  public List<StoredMessage> history(
      String userId, String roomId, Long before, Long after, Integer limit) {
    return messages.page(roomId, before, after, checkedPage(userId, roomId, before, after, limit));
  }

  /**
   * Event loop: {@link #history} when memory holds the page whole, else null, also for a read that
   * would be refused (a worker then reads it, or refuses it). Never queries: a room this node has
   * not loaded is null too.
   */
  public List<StoredMessage> historyInMemory(
      String userId, String roomId, Long before, Long after, Integer limit) {
    if (roomId == null || !rooms.containsKey(roomId)) {
      return null; // visible() would load it from the store
    }
    try {
      int n = checkedPage(userId, roomId, before, after, limit);
      return messages.pageInMemory(roomId, before, after, n);
    } catch (ApiError e) {
      return null;
    }
  }

  /** The page's size, once the room is visible to the user and the bounds make sense. */
  private int checkedPage(String userId, String roomId, Long before, Long after, Integer limit) {
    visible(userId, roomId);
    int n = limit == null ? DEFAULT_PAGE : limit;
    if (n < 1 || n > MAX_PAGE) {
      throw ApiError.badRequest("limit must be 1 to " + MAX_PAGE);
    }
    if ((before != null && before < 0) || (after != null && after < 0)) {
      throw ApiError.badRequest("before and after must not be negative");
    }
    return n;
  }

  /**
   * What a joiner missed: with {@code since}, the newest {@code cap} messages after it; without,
   * the latest 20.
   */
  public List<StoredMessage> catchUp(String roomId, Long since, int cap) {
    return since == null
        ? messages.page(roomId, null, null, 20)
        : messages.newestAfter(roomId, since, cap);
  }

  private RoomInfo info(Room room, boolean withIds) {
    List<String> ids = withIds ? new ArrayList<>(new TreeSet<>(room.members())) : null;
    return new RoomInfo(
        room.id(),
        room.name(),
        room.isPrivate(),
        room.members().size(),
        room.onlineCount(),
        withIds || loadedLater == null ? lastSeq(room.id()) : room.lastDeliveredSeq(),
        ids);
  }
}
