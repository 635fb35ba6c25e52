package dev.jchat;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An open chat socket of a {@link ChatClient}: the {@code /ws} connection, past its {@code
 * hello}/{@code welcome} handshake.
 *
 * <p>Every request method returns immediately with a future that completes when the server answers,
 * exceptionally with a {@link ChatException} when it answers with an {@code error}, when the socket
 * closes first (code {@code unavailable}), when no answer came within the client's timeout ({@code
 * unavailable}), or when too many requests already wait for an answer ({@code rate_limited}, see
 * {@link ChatClient.Builder#maxPendingRequests(int)}). Futures complete on the socket's thread,
 * after the listener has seen the frame that completes them; do not block on one from a listener
 * method.
 *
 * <p>A socket of a client built with {@link ChatClient.Builder#reconnect(boolean)} outlives its
 * connection: a send then waits through reconnects until the server stores it or refuses it (and is
 * not failed by a broken connection), and the other requests fail with {@code unavailable} while it
 * reconnects; see that method.
 *
 * <p>Thread-safe: requests may be made from any thread and are sent in the order made. Parameters
 * are never null unless documented otherwise.
 */
public interface ChatSocket extends AutoCloseable {

  /** The user this socket is signed in as, from the server's {@code welcome}. */
  String userId();

  /** The server's name and version, from its {@code welcome}, like {@code jchat/0.1.0}. */
  String server();

  /**
   * Joins a room and receives its latest messages (20 by default on the server) in the {@link
   * Joined} answer.
   */
  CompletableFuture<Joined> join(String roomId);

  /**
   * Joins a room, asking for every message after {@code since}: the last {@code seq} this client
   * has of the room. {@link Joined#complete()} tells whether the server's cap cut the history
   * short; page the rest with {@link #history(String, long, int)}.
   */
  CompletableFuture<Joined> join(String roomId, long since);

  /**
   * Posts a message to a room this socket has joined. Completes with the server's ack once the
   * message is stored. When the server answers {@code unavailable} (it cannot store right now, so
   * nothing was stored), the send is tried again with the same {@code ref}, waiting at least the
   * server's {@code retryAfterMs} and backing off up to 8 s, five times at most (about 20 s); then
   * the future fails with that {@code unavailable} error.
   *
   * @param ref makes the send idempotent: the server stores a message once per user and {@code
   *     ref}, also across reconnects and restarts, and answers a repeat with the first ack. At most
   *     64 characters. When null, a unique one is generated.
   */
  CompletableFuture<Ack> send(String roomId, String text, String ref);

  /** Same as {@link #send(String, String, String)} with a generated {@code ref}. */
  default CompletableFuture<Ack> send(String roomId, String text) {
    return send(roomId, text, null);
  }

  /** Leaves a room; completes once the server confirms it with {@code left}. */
  CompletableFuture<Void> leave(String roomId);

  /**
   * Reads older messages of a room, ascending by {@code seq}.
   *
   * @param before an exclusive upper {@code seq} bound, or 0 for the newest messages
   * @param limit how many at most, or 0 for the server's default (50; at most 200)
   */
  CompletableFuture<List<ChatMessage>> history(String roomId, long before, int limit);

  /** The rooms this user can see, like {@link ChatClient#rooms()}. */
  CompletableFuture<List<ChatRoom>> rooms();

  /** True until the socket has closed, for whatever reason. */
  boolean isOpen();

  /**
   * Closes the socket with 1000 (normal closure) after the requests already made have been sent,
   * and waits at most the client's timeout for the server to confirm. Requests still waiting for an
   * answer fail with {@code unavailable}. Idempotent. Since it waits for the socket's thread, do
   * not call it from a {@link Listener} method.
   */
  @Override
  void close();

  /**
   * The server's answer to a {@code join}.
   *
   * @param roomId the room joined
   * @param lastSeq the room's latest {@code seq} when it was joined (0 when it has none)
   * @param complete true when {@code history} holds every message after the requested {@code since}
   *     (or everything older than the latest few, without one); false when the server's cap cut it
   *     short
   * @param online the user ids in the room now
   * @param history messages ascending by {@code seq}
   */
  record Joined(
      String roomId,
      long lastSeq,
      boolean complete,
      List<String> online,
      List<ChatMessage> history) {
    /** Copies the lists, so a {@code Joined} never changes. */
    public Joined {
      online = List.copyOf(online);
      history = List.copyOf(history);
    }
  }

  /**
   * The server's confirmation that a message was stored: the same {@code seq} and time the room's
   * members receive.
   *
   * @param ref the {@code ref} of the send
   * @param roomId the room
   * @param seq the message's position in the room
   * @param timestamp the server's time when it was stored, epoch milliseconds
   */
  record Ack(String ref, String roomId, long seq, long timestamp) {}

  /**
   * Receives what the server sends on its own. Methods are called one at a time, in the order the
   * frames arrived, on the socket's thread: return quickly. Exceptions they throw are ignored.
   * Every method has an empty default.
   */
  interface Listener {

    /** A message posted to a joined room, by anyone (this user's own sends included). */
    default void onMessage(ChatMessage message) {}

    /**
     * A user's first connection entered a joined room ({@code event} is {@code join}), or the
     * user's last one left it ({@code leave}). Other events may be added later.
     */
    default void onPresence(String roomId, String userId, String event) {}

    /**
     * The answer to a join, before its future completes: handle the history here to keep it in
     * order with the live messages that follow.
     */
    default void onJoined(Joined joined) {}

    /**
     * This user's membership of a room changed, on any of their devices: {@code event} is {@code
     * added} (to a private room, by {@code by}) or {@code removed} (by the room's creator, or by
     * the user themselves). A removal also ends this socket's join of that room: no message or
     * presence of it follows.
     */
    default void onMembership(String roomId, String event, String by) {}

    /**
     * An error that answers none of this socket's pending requests (those fail their futures
     * instead), like {@code slow_consumer} before the server closes the socket.
     */
    default void onError(ChatException error) {}

    /**
     * The socket closed, by either side or because the connection broke (code 1006). Called once,
     * also after {@link ChatSocket#close()}. A socket that reconnects ({@link
     * ChatClient.Builder#reconnect(boolean)}) calls it only when it stops for good: after {@link
     * ChatSocket#close()}, or when the server ended the session ({@code unauthorized}, 1008).
     */
    default void onClose(int code, String reason) {}

    /**
     * Only on a socket that reconnects ({@link ChatClient.Builder#reconnect(boolean)}): its
     * connection broke ({@code code} and {@code reason} as for {@link #onClose}) and it is
     * reconnecting. Sends made meanwhile wait for the new connection; other requests fail with
     * {@code unavailable}.
     */
    default void onDisconnected(int code, String reason) {}

    /**
     * Only on a socket that reconnects: it is connected again, to the server at {@code address}
     * (another one when the last failed), and is joining its rooms again; what it missed follows
     * through {@link #onMessage}.
     */
    default void onReconnected(URI address) {}
  }
}
