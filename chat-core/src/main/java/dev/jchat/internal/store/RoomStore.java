package dev.jchat.internal.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rooms and their members. Thread-safe; called on worker threads.
 *
 * <p>Members of a private room are who may see it. Members of a public room are the users who
 * joined it; the server decides when someone joins.
 */
public interface RoomStore {
  /** The creator of rooms configured at start. */
  String SYSTEM = "system";

  /**
   * Creates a room whose creator and {@code participants} become members, all in one transaction.
   *
   * @return {@code false} when the room id is taken (nothing changes)
   * @throws StoreException when the creator or a participant is not a registered user
   */
  boolean create(StoredRoom room, Collection<String> participants);

  /**
   * Creates a public room owned by {@link #SYSTEM}, named after its id, unless it exists; for the
   * rooms configured at server start.
   *
   * @return whether it was created
   */
  boolean createIfMissing(String roomId, long createdAt);

  Optional<StoredRoom> find(String roomId);

  /** Every room, by room id: the server keeps them all in memory. */
  List<StoredRoom> all();

  /** Every membership, room id to member ids, in one query (for loading at start). */
  Map<String, List<String>> allMembers();

  /** Every public room and the private rooms {@code userId} is a member of, by room id. */
  List<StoredRoom> listVisibleTo(String userId);

  /** The member ids, sorted; empty for an unknown room. */
  List<String> members(String roomId);

  boolean isMember(String roomId, String userId);

  /**
   * Adds a member; idempotent.
   *
   * @return {@code false} when the user already was a member
   * @throws StoreException when the room or the user does not exist
   */
  boolean addMember(String roomId, String userId);

  /** Removes a member; {@code false} when the user was not one. */
  boolean removeMember(String roomId, String userId);
}
