package dev.jchat;

import dev.jchat.internal.store.PostgresUrl;
import dev.jchat.internal.store.SqliteToPostgres;
import dev.jchat.internal.store.StoreException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Moves a chat from its SQLite file to PostgreSQL ({@code chat migrate}): users with their password
 * hashes (nobody registers again), sessions (nobody logs in again), rooms, members, every message
 * with its seq and ref (clients resume with {@code since}, repeated refs get their original ack),
 * disabled users and the operators' events.
 *
 * <p>The target's schema is created or upgraded first; a target that already holds any user, room
 * or message is refused. The copy runs in one PostgreSQL transaction, in batches, and is verified
 * before it commits (row counts of every table, and the last seq and highest message seq of every
 * room, on both sides): when anything fails the target is left empty. The source is only read, as
 * one consistent snapshot; stop the server on it first, or messages sent meanwhile stay behind.
 *
 * <pre>{@code
 * ChatMigration.Summary summary =
 *     ChatMigration.copy(
 *         Path.of("chat.db"), "postgresql://chat@db.example.com:5432/chat", null, System.out::println);
 * }</pre>
 */
public final class ChatMigration {
  /** What was copied: rows per table. */
  public record Summary(
      String target,
      long users,
      long sessions,
      long rooms,
      long members,
      long messages,
      long disabledUsers,
      long adminEvents) {
    /** One line for an operator, naming the target without its password. */
    @Override
    public String toString() {
      return String.format(
          "migrated to %s: %d users, %d sessions, %d rooms, %d members, %d messages,"
              + " %d disabled users, %d admin events; counts and last seqs verified",
          target, users, sessions, rooms, members, messages, disabledUsers, adminEvents);
    }
  }

  private ChatMigration() {}

  /**
   * Copies the chat database {@code sqlite} into the empty PostgreSQL database {@code postgresUrl}.
   *
   * @param postgresUrl {@code postgresql://user@host:port/db} (or {@code jdbc:postgresql://...})
   * @param password used when the URL has none; when both are null, {@code PGPASSWORD} (may stay
   *     null for trust authentication). Never printed.
   * @param progress receives progress lines (one per table, one every 10,000 messages)
   * @throws ChatException {@code bad_request} with a one-line reason (never the password) when the
   *     file is not a chat database of the current schema, the URL is malformed, the target cannot
   *     be reached or is not empty, or the verification finds a difference
   */
  public static Summary copy(
      Path sqlite, String postgresUrl, String password, Consumer<String> progress) {
    Objects.requireNonNull(sqlite, "sqlite");
    Objects.requireNonNull(postgresUrl, "postgresUrl");
    Objects.requireNonNull(progress, "progress");
    PostgresUrl url;
    try {
      url = PostgresUrl.parse(postgresUrl, password, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ChatException("bad_request", 400, e.getMessage(), e);
    }
    try {
      SqliteToPostgres.Counts c = SqliteToPostgres.copy(sqlite, url, progress);
      return new Summary(
          url.describe(),
          c.users(),
          c.sessions(),
          c.rooms(),
          c.members(),
          c.messages(),
          c.disabledUsers(),
          c.adminEvents());
    } catch (StoreException e) {
      throw new ChatException("bad_request", 400, e.getMessage(), e);
    }
  }
}
