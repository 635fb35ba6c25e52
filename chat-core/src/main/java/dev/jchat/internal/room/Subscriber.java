package dev.jchat.internal.room;

/**
 * Something that receives a room's frames: a chat socket. Implementations must not block; {@link
 * #deliver} only queues.
 */
public interface Subscriber {

  /** The user this subscriber acts for; presence is counted per user. */
  String userId();

  /** Queues an encoded frame for sending; false when the subscriber can take no more. */
  boolean deliver(byte[] frame);

  /** The subscriber fell too far behind while its join was being prepared. */
  void overflowed();
}
