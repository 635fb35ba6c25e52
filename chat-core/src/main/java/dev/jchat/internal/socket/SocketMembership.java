package dev.jchat.internal.socket;

import dev.jchat.internal.room.Room;
import dev.jchat.internal.service.MembershipChanges;

/**
 * Brings open sockets in line with a membership change (protocol v1.1): the user's sockets hear
 * {@code membership} {@code added} or {@code removed}; on removal, a socket that had joined the
 * room first gets {@code left} with reason {@code removed} and from then on nothing of that room.
 * Worker threads; thread-safe.
 */
public final class SocketMembership implements MembershipChanges {
  private final SocketRegistry registry;

  public SocketMembership(SocketRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void added(Room room, String userId, String by) {
    byte[] frame = ServerFrames.membership(room.id(), "added", by);
    for (SocketSession s : registry.socketsOf(userId)) {
      s.deliver(frame);
    }
  }

  @Override
  public void removed(Room room, String userId, String by) {
    room.removeMember(
        userId,
        ServerFrames.left(room.id(), "removed"),
        ServerFrames.presence(room.id(), userId, "leave"));
    byte[] frame = ServerFrames.membership(room.id(), "removed", by);
    for (SocketSession s : registry.socketsOf(userId)) {
      // a join racing this removal may already hold a new subscription: keep that one
      s.joined.computeIfPresent(room.id(), (id, sub) -> room.isSubscribed(s) ? sub : null);
      s.deliver(frame);
    }
  }
}
