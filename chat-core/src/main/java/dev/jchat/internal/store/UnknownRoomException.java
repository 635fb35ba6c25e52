package dev.jchat.internal.store;

/**
 * A message was sent to a room that does not exist. Reported to that one send's {@link
 * MessageLog.Callback}; the rest of its batch is stored as usual.
 */
public final class UnknownRoomException extends StoreException {
  private final String roomId;

  UnknownRoomException(String roomId) {
    super("no room '" + roomId + "'");
    this.roomId = roomId;
  }

  /** The room that was not found. */
  public String roomId() {
    return roomId;
  }
}
