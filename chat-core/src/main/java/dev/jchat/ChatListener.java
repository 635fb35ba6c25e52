package dev.jchat;

/**
 * Lets a host program observe and moderate the messages of an embedded {@link ChatServer}.
 *
 * <p>Both methods have default implementations, so a listener overrides only what it needs.
 * Exceptions thrown by a listener are logged and otherwise ignored: a faulty listener never takes a
 * connection or the server down.
 */
public interface ChatListener {

  /**
   * Called on a worker thread before a message is stored. Return {@code null} to accept it, or a
   * human-readable reason to reject it: the sender then gets an {@code error} with code {@code
   * forbidden} and that reason, and nothing is stored. May block briefly.
   */
  default String beforeMessage(String roomId, String userId, String text) {
    return null;
  }

  /**
   * Called after a message has been committed, in {@code seq} order per room, on the message log's
   * writer thread. Must return quickly: hand slow work to another thread.
   */
  default void onMessage(ChatMessage message) {}
}
