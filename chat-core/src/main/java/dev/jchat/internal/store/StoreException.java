package dev.jchat.internal.store;

import java.sql.SQLException;

/**
 * A storage operation failed. The message is one line that names the operation and the reason, such
 * as {@code "create room: [SQLITE_BUSY] The database file is locked"}; the cause keeps the original
 * error. Thrown on the thread that called the store, or handed to a {@link MessageLog.Callback}.
 */
public class StoreException extends RuntimeException {

  StoreException(String message) {
    super(message);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Wraps an SQLite failure of {@code operation}. */
  static StoreException of(String operation, SQLException e) {
    return new StoreException(operation + ": " + oneLine(e.getMessage()), e);
  }

  /** SQLite messages can span lines; the CLI prints ours as one. */
  static String oneLine(String message) {
    return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
