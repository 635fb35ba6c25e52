package dev.jchat.internal.store;

/**
 * The store seam: everything the server keeps (users, sessions, rooms and members, messages and
 * their refs), and the group-commit writer's batch transaction. Two implementations: {@link
 * Database} (SQLite, one file, the embedded default) and {@link PostgresStore} (PostgreSQL through
 * a pool). The server depends on this interface only; {@code ChatStoreContract} is the one test
 * suite both pass.
 *
 * <p>Thread-safe. Every method may block on the database, so none may run on an event loop.
 */
public interface ChatStore extends AutoCloseable {
  UserStore users();

  SessionStore sessions();

  RoomStore rooms();

  MessageStore messages();

  /**
   * The batch writer for the one {@link MessageLog} of this store; handed out once.
   *
   * @throws IllegalStateException when it was already taken
   */
  MessageBatches openBatches();

  /** What operators changed with {@code chat admin}, for the running server to act on. */
  AdminEvents adminEvents();

  /** Whether the store can write right now, for readiness checks. */
  StorageHealth health();

  /** Where the data lives, for logs: a file path or a URL without its password. */
  String describe();

  /** Closes every connection. Close the {@link MessageLog} first. Idempotent. */
  @Override
  void close();
}
