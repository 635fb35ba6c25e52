package dev.jchat.internal.store;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

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

  /**
   * Wraps an SQLite failure of {@code operation}: a {@link StoreUnavailableException} when it is
   * one that passes by itself (full disk, lock held elsewhere, I/O or permission trouble), else a
   * plain {@code StoreException}.
   */
  static StoreException of(String operation, SQLException e) {
    String message = operation + ": " + oneLine(e.getMessage());
    return isTransient(e)
        ? new StoreUnavailableException(message, e)
        : new StoreException(message, e);
  }

  /**
   * Whether {@code e} is a failure of the storage rather than of the statement: the primary SQLite
   * result codes BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN and PROTOCOL (extended codes
   * such as {@code SQLITE_IOERR_WRITE} share their primary code's low byte).
   */
  static boolean isTransient(SQLException e) {
    if (!(e instanceof SQLiteException)) return false;
    int primary = ((SQLiteException) e).getResultCode().code & 0xFF;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code
        || primary == SQLiteErrorCode.SQLITE_LOCKED.code
        || primary == SQLiteErrorCode.SQLITE_NOMEM.code
        || primary == SQLiteErrorCode.SQLITE_READONLY.code
        || primary == SQLiteErrorCode.SQLITE_IOERR.code
        || primary == SQLiteErrorCode.SQLITE_FULL.code
        || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code
        || primary == SQLiteErrorCode.SQLITE_PROTOCOL.code;
  }

  /** SQLite messages can span lines; the CLI prints ours as one. */
  static String oneLine(String message) {
    return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
