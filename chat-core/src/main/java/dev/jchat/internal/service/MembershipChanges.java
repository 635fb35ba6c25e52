package dev.jchat.internal.service;

import dev.jchat.internal.room.Room;

/**
 * Carries a stored membership change over to the live side: the room's subscriptions and the user's
 * open sockets, which must learn of it at once. Implemented by the socket layer (which knows how to
 * encode frames); called on worker threads right after the database changed.
 */
public interface MembershipChanges {
  /** {@code userId} became a member of {@code room} through {@code by}; already in its members. */
  void added(Room room, String userId, String by);

  /**
   * {@code userId} is no longer a member of {@code room} (removed by {@code by}, or by themselves).
   * The implementation takes them out with {@link Room#removeMember}, which also ends their
   * subscriptions, and then tells each of their sockets.
   */
  void removed(Room room, String userId, String by);

  /** {@code userId} joined a public room and so became a member; nobody is told. */
  default void joined(Room room, String userId) {}

  /** The room was created with its members; they hear {@link #added} each. */
  default void created(Room room) {}
}
