package dev.jchat;

import dev.jchat.internal.store.AdminDatabase;
import dev.jchat.internal.store.StoreException;
import java.nio.file.Path;
import java.util.List;

/**
 * An operator's access to a chat database file, also while a server runs on it: list users, disable
 * and enable them, end their sessions, take a consistent backup. A running server notices a disable
 * or a revocation within about a second and closes that user's sockets; a disabled user's logins
 * are refused with 403. Not thread-safe; close it when done.
 *
 * <pre>{@code
 * try (ChatAdmin admin = ChatAdmin.open(Path.of("chat.db"))) {
 *   admin.disable("mallory");
 *   admin.backupTo(Path.of("chat-2026-11-30.db"));
 * }
 * }</pre>
 */
public final class ChatAdmin implements AutoCloseable {
  /** A user: id, display name, creation time (epoch ms), disabled or not, live sessions. */
  public record User(String userId, String name, long createdAt, boolean disabled, int sessions) {}

  private final AdminDatabase db;

  private ChatAdmin(AdminDatabase db) {
    this.db = db;
  }

  /**
   * Opens a chat database without changing its schema.
   *
   * @throws ChatException {@code bad_request} with a one-line reason when the file is missing, is
   *     not a chat database, or has a schema version this library does not know
   */
  public static ChatAdmin open(Path database) {
    try {
      return new ChatAdmin(AdminDatabase.open(database));
    } catch (StoreException e) {
      throw new ChatException("bad_request", 400, e.getMessage(), e);
    }
  }

  /** Every user, sorted by id. */
  public List<User> users() {
    return call(
        () ->
            db.users(System.currentTimeMillis()).stream()
                .map(u -> new User(u.userId(), u.name(), u.createdAt(), u.disabled(), u.sessions()))
                .toList());
  }

  /** Disables a user and ends their sessions; false when there is no such user. */
  public boolean disable(String userId) {
    return call(() -> db.disable(userId, System.currentTimeMillis()));
  }

  /** Lets a disabled user log in again; false when there is no such user. */
  public boolean enable(String userId) {
    return call(() -> db.enable(userId, System.currentTimeMillis()));
  }

  /** Ends every session of a user (they log in again); false when there is no such user. */
  public boolean revokeSessions(String userId) {
    return call(() -> db.revokeSessions(userId, System.currentTimeMillis()));
  }

  /**
   * Writes a consistent, compacted copy of the database to a new file (SQLite's {@code VACUUM
   * INTO}); safe while a server writes. Refuses a target that exists.
   */
  public void backupTo(Path target) {
    call(
        () -> {
          db.backupTo(target);
          return null;
        });
  }

  /**
   * How many users, rooms, messages or sessions the database holds: {@code table} is {@code
   * "users"}, {@code "rooms"}, {@code "messages"} or {@code "sessions"}.
   */
  public long count(String table) {
    return call(() -> db.count(table));
  }

  @Override
  public void close() {
    call(
        () -> {
          db.close();
          return null;
        });
  }

  private interface Work<T> {
    T run();
  }

  private static <T> T call(Work<T> work) {
    try {
      return work.run();
    } catch (StoreException e) {
      throw new ChatException("internal", 500, e.getMessage(), e);
    }
  }
}
