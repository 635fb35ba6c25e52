package dev.jchat.internal.socket;

import dev.jchat.internal.websocket.WebSocketProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open chat socket, and the signed-in ones by session, so that logout can close a session's
 * sockets and shutdown can close them all. Thread-safe.
 */
public final class SocketRegistry {
  private final Set<SocketSession> all = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Set<SocketSession>> bySession = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<SocketSession>> byUser = new ConcurrentHashMap<>();

  /**
   * Sessions logged out in the last minute, by key, with when (System.nanoTime): a hello that
   * checked its token just before the logout registers just after it, and looks here.
   */
  private final ConcurrentHashMap<String, Long> recentLogouts = new ConcurrentHashMap<>();

  private static final long RECENT_LOGOUT_NANOS = 60_000_000_000L;

  void opened(SocketSession s) {
    all.add(s);
  }

  void signedIn(SocketSession s) {
    bySession.computeIfAbsent(s.sessionKey(), k -> ConcurrentHashMap.newKeySet()).add(s);
    byUser.computeIfAbsent(s.userId(), k -> ConcurrentHashMap.newKeySet()).add(s);
  }

  /** The session is over: no more logout to deliver to it. */
  void closed(SocketSession s) {
    String key = s.sessionKey();
    if (key == null) {
      return;
    }
    forget(bySession, key, s);
    forget(byUser, s.userId(), s);
  }

  private static void forget(
      ConcurrentHashMap<String, Set<SocketSession>> index, String key, SocketSession s) {
    index.computeIfPresent(
        key,
        (k, set) -> {
          set.remove(s);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * Whether the session was logged out lately. A hello calls it after {@link #signedIn}: a logout
   * either finds the registered socket or has left its key here, so neither can miss the other.
   */
  boolean loggedOutLately(String sessionKey) {
    return recentLogouts.containsKey(sessionKey);
  }

  /** The signed-in sockets of a user, on this server. */
  Set<SocketSession> socketsOf(String userId) {
    Set<SocketSession> sockets = byUser.get(userId);
    return sockets == null ? Set.of() : sockets;
  }

  /** The TCP connection is closed: shutdown no longer waits for it. */
  void released(SocketSession s) {
    all.remove(s);
  }

  /** Closes the sockets of a session that logged out, with 1008. */
  public void loggedOut(String sessionKey) {
    recentLogouts.put(sessionKey, System.nanoTime()); // before the sockets are looked up
    Set<SocketSession> sockets = bySession.remove(sessionKey);
    if (sockets == null) {
      return;
    }
    for (SocketSession s : sockets) {
      s.closeWith(
          WebSocketProtocol.CLOSE_POLICY_VIOLATION,
          "logged out",
          ServerFrames.error("unauthorized", "the session was logged out", null),
          false);
    }
  }

  /**
   * Closes the sockets whose session expired at or before {@code nowMillis}: {@code error} {@code
   * unauthorized}, then 1008, as after a logout. Any thread; called about once a second.
   */
  public int closeExpired(long nowMillis) {
    long now = System.nanoTime();
    recentLogouts.values().removeIf(at -> now - at > RECENT_LOGOUT_NANOS);
    int closed = 0;
    for (SocketSession s : all) {
      if (s.signedIn() && s.expiresAt() <= nowMillis && !s.closing()) {
        s.closeWith(
            WebSocketProtocol.CLOSE_POLICY_VIOLATION,
            "session expired",
            ServerFrames.error("unauthorized", "the session expired; sign in again", null),
            false);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Closes every signed-in socket of a user with {@code error} {@code unauthorized} and 1008: an
   * operator disabled the user or revoked their sessions. Returns how many. Any thread.
   */
  public int closeUser(String userId, String message) {
    int closed = 0;
    for (SocketSession s : new ArrayList<>(socketsOf(userId))) {
      s.closeWith(
          WebSocketProtocol.CLOSE_POLICY_VIOLATION,
          "signed out by the operator",
          ServerFrames.error("unauthorized", message, null),
          false);
      closed++;
    }
    return closed;
  }

  /** Closes every socket with 1001 (the server is going away). */
  public void closeAll() {
    for (SocketSession s : new ArrayList<>(all)) {
      s.closeWith(WebSocketProtocol.CLOSE_GOING_AWAY, "server shutting down", null, false);
    }
  }

  /** Bytes queued for every chat socket and not yet written; a sum over the sockets. */
  public long backlogBytes() {
    long sum = 0;
    for (SocketSession s : all) {
      sum += s.connection.backlogBytes();
    }
    return sum;
  }

  /** Chat sockets whose TCP connection is still open. */
  public int size() {
    return all.size();
  }

  List<SocketSession> snapshot() {
    return new ArrayList<>(all);
  }
}
