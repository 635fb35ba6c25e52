package dev.jchat.internal.store;

import java.util.List;
import java.util.Optional;

/**
 * Login sessions, keyed by the SHA-256 of the token so a leaked database holds no usable token.
 * Thread-safe; called on worker threads.
 */
public interface SessionStore {
  /** A live session: whose it is and when it expires (epoch milliseconds). */
  record Found(String userId, long expiresAt) {}

  /**
   * Records a new session of an existing user.
   *
   * @throws StoreException when the user does not exist
   */
  void create(byte[] tokenHash, String userId, long createdAt, long expiresAt);

  /** The session if it has not expired at {@code now}, else empty. */
  Optional<Found> find(byte[] tokenHash, long now);

  /** The user of a session that has not expired at {@code now}, else empty. */
  default Optional<String> userFor(byte[] tokenHash, long now) {
    return find(tokenHash, now).map(Found::userId);
  }

  /**
   * Ends the user's sessions beyond the {@code keep} newest; returns the token hashes it ended, so
   * that their sockets can be closed.
   */
  List<byte[]> keepNewest(String userId, int keep);

  /** Ends one session; {@code false} when there was none. */
  boolean delete(byte[] tokenHash);

  /** Deletes the sessions that expired at or before {@code now}; returns how many. */
  int purgeExpired(long now);
}
